package io.rebill.wallet.numbers;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * The monthly lifecycle of a rented phone number: Active, On Hold when a renewal cannot be paid,
 * released when the grace period ends unpaid. wallet-stream applies it per workspace, in the
 * processor that owns the wallets, from a punctuation scheduled at {@link #nextWakeUp} and after
 * money arrives; it charges the renewal to the payer's wallet in the same exactly-once transaction.
 * The caller knows balances, prices and who pays, so it says whether the payer can pay.
 *
 * <p>Renewals fall on the purchase's day of month (UTC): a number bought on 31 January renews on
 * 28 or 29 February, then on 31 March, so short months do not pull later renewals earlier.
 */
public final class NumberLifecycle {

    public static final String REASON_UNPAID = "unpaid renewal";
    public static final String REASON_BY_REQUEST = "released by request";

    private NumberLifecycle() {
    }

    /** A newly rented number, paid for its first month by the caller. */
    public static PhoneNumber purchase(String number, String workspaceId, String subAccountId,
            long monthlyCostMicros, String currency, boolean autoPay, Instant now) {
        Objects.requireNonNull(now, "now");
        return new PhoneNumber(number, workspaceId, subAccountId, NumberStatus.ACTIVE, autoPay, monthlyCostMicros,
                currency, now, plusOneMonth(now, now), null, null, null);
    }

    /**
     * A purchase of a number the caller may already have in its store: refused while that number is
     * still held (Active or On Hold), allowed again once it was released.
     *
     * @param current the stored record for {@code number}, or null if there is none
     */
    public static PhoneNumber purchase(PhoneNumber current, String number, String workspaceId,
            String subAccountId, long monthlyCostMicros, String currency, boolean autoPay, Instant now) {
        if (current != null && current.number().equals(number) && current.status() != NumberStatus.RELEASED) {
            throw new IllegalArgumentException(
                    "number " + number + " is already held by workspace " + current.workspaceId()
                            + " (" + current.status() + ")");
        }
        return purchase(number, workspaceId, subAccountId, monthlyCostMicros, currency, autoPay, now);
    }

    /**
     * One renewal check. Renews one month per call, so a caller that missed several months loops while
     * the action is CHARGE, and each month is charged as its own ledger entry. A held number whose
     * payer can pay again is renewed even when the grace period has just ended: it has not been
     * released yet, and keeping a paid-for number is what its owner wants.
     *
     * @param canPay the payer can pay {@code monthlyCostMicros} now
     * @param grace  how long a number stays On Hold before it is released
     */
    public static RenewalStep due(PhoneNumber number, Instant now, boolean canPay, Duration grace) {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(now, "now");
        requireGrace(grace);
        return switch (number.status()) {
            case RELEASED -> none(number);
            case ACTIVE -> {
                if (number.renewsAt().isAfter(now)) {
                    yield none(number);
                }
                yield number.autoPay() && canPay
                        ? new RenewalStep(RenewalStep.Action.CHARGE, renewed(number))
                        : new RenewalStep(RenewalStep.Action.HOLD, with(number, NumberStatus.ON_HOLD, now, null, null));
            }
            case ON_HOLD -> {
                if (number.autoPay() && canPay) {
                    yield new RenewalStep(RenewalStep.Action.CHARGE, renewed(number));
                }
                if (!now.isBefore(number.heldSince().plus(grace))) {
                    yield new RenewalStep(RenewalStep.Action.RELEASE,
                            with(number, NumberStatus.RELEASED, null, now, REASON_UNPAID));
                }
                yield none(number);
            }
        };
    }

    /** Released on the owner's request; no further renewals. Releasing a released number changes nothing. */
    public static PhoneNumber release(PhoneNumber number, Instant now) {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(now, "now");
        if (number.status() == NumberStatus.RELEASED) {
            return number;
        }
        return with(number, NumberStatus.RELEASED, null, now, REASON_BY_REQUEST);
    }

    /**
     * Turns auto-pay on or off; takes effect at the next renewal check. A released number is final and
     * comes back unchanged.
     */
    public static PhoneNumber autoPay(PhoneNumber number, boolean on) {
        Objects.requireNonNull(number, "number");
        if (number.status() == NumberStatus.RELEASED || number.autoPay() == on) {
            return number;
        }
        return new PhoneNumber(number.number(), number.workspaceId(), number.subAccountId(), number.status(), on,
                number.monthlyCostMicros(), number.currency(), number.purchasedAt(), number.renewsAt(),
                number.heldSince(), number.releasedAt(), number.releaseReason());
    }

    /** {@link #due} may change the number now: an Active number past its renewal, or any held one. */
    public static boolean isDue(PhoneNumber number, Instant now) {
        return number.status() != NumberStatus.RELEASED && !number.renewsAt().isAfter(now);
    }

    /**
     * When the caller's punctuation should look at this number again without new money: the renewal of
     * an Active number, the end of the grace period of a held one, never for a released one.
     */
    public static Optional<Instant> nextWakeUp(PhoneNumber number, Duration grace) {
        requireGrace(grace);
        return switch (number.status()) {
            case ACTIVE -> Optional.of(number.renewsAt());
            case ON_HOLD -> Optional.of(number.heldSince().plus(grace));
            case RELEASED -> Optional.empty();
        };
    }

    private static PhoneNumber renewed(PhoneNumber number) {
        return new PhoneNumber(number.number(), number.workspaceId(), number.subAccountId(), NumberStatus.ACTIVE,
                number.autoPay(), number.monthlyCostMicros(), number.currency(), number.purchasedAt(),
                plusOneMonth(number.purchasedAt(), number.renewsAt()), null, null, null);
    }

    private static PhoneNumber with(PhoneNumber number, NumberStatus status, Instant heldSince, Instant releasedAt,
            String releaseReason) {
        return new PhoneNumber(number.number(), number.workspaceId(), number.subAccountId(), status,
                number.autoPay(), number.monthlyCostMicros(), number.currency(), number.purchasedAt(),
                number.renewsAt(), heldSince, releasedAt, releaseReason);
    }

    /**
     * One calendar month after {@code from}, back on the purchase's day of month when an earlier short
     * month had to move it (31 January, 28 February, then 31 March).
     */
    static Instant plusOneMonth(Instant purchasedAt, Instant from) {
        ZonedDateTime start = from.atZone(ZoneOffset.UTC);
        ZonedDateTime next = start.plusMonths(1);
        int anchorDay = purchasedAt.atZone(ZoneOffset.UTC).getDayOfMonth();
        if (start.getDayOfMonth() < anchorDay) {
            next = next.withDayOfMonth(Math.min(anchorDay, next.toLocalDate().lengthOfMonth()));
        }
        return next.toInstant();
    }

    private static void requireGrace(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace period must not be negative, was " + grace);
        }
    }

    private static RenewalStep none(PhoneNumber number) {
        return new RenewalStep(RenewalStep.Action.NONE, number);
    }
}
