package io.rebill.metering.rating;

import java.util.Optional;

/**
 * What a usage record means given what metering-stream already rated under the same identity
 * (carrier and CDR id, or message event id): the de-duplication and correction rules, applied
 * before rating.
 *
 * <ul>
 *   <li>Nothing seen yet: a new record, rated as usual.</li>
 *   <li>A version at or below the one already rated: a duplicate (a redelivery, a replay, or a
 *       correction that arrived after a later one), dropped without output.</li>
 *   <li>A higher version: a correction. The charge of the version it replaces, if that version
 *       was charged, is reversed exactly and the new version is rated as usual, so both wallets
 *       end where the corrected record alone would have put them.</li>
 * </ul>
 */
public final class CorrectionPolicy {

    /** The version last rated under an identity, and the charge it produced (none when it was not billable). */
    public record Seen(int version, Optional<RatedUsage> charge) {
    }

    public sealed interface Decision {
    }

    /** Rate it; nothing to undo. */
    public record Rate() implements Decision {
    }

    /** Drop it: this version or a later one was already rated. */
    public record Duplicate(int ratedVersion) implements Decision {
    }

    /** Rate it, and credit back the replaced version's charge when there is one. */
    public record Correct(int replacedVersion, Optional<RatedUsage> chargeToReverse) implements Decision {
    }

    private CorrectionPolicy() {
    }

    public static Decision decide(Optional<Seen> seen, int version) {
        if (seen.isEmpty()) {
            return new Rate();
        }
        Seen previous = seen.get();
        if (version <= previous.version()) {
            return new Duplicate(previous.version());
        }
        return new Correct(previous.version(), previous.charge());
    }
}
