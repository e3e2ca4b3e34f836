package io.rebill.wallet.allowance;

import java.time.Duration;
import java.time.Instant;

/** Plans, trial terms and clocks shared by the allowance tests. */
final class AllowanceFixtures {

    /** A Thursday mid-month, 10:00 UTC: the sub-account is created then. */
    static final Instant START = Instant.parse("2026-01-15T10:00:00Z");
    static final TrialTerms TRIAL = new TrialTerms(30, 14);
    static final Plan BASIC = new Plan("basic", 1, "Basic", 100, 29_000_000L, "USD");
    static final Plan PRO = new Plan("pro", 1, "Pro", 1_000, 99_000_000L, "USD");
    static final Plan PRO_V2 = new Plan("pro", 2, "Pro", 1_200, 99_000_000L, "USD");

    private AllowanceFixtures() {
    }

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    static Instant days(Instant from, long days) {
        return from.plus(Duration.ofDays(days));
    }

    static long minutes(long minutes) {
        return minutes * 60;
    }

    /** A sub-account created at {@link #START} that subscribed to {@code plan} at once, anchored at START. */
    static Allowance subscribedAtStart(Plan plan) {
        return AllowanceBook.subscribe(AllowanceBook.startTrial(TRIAL, START), plan, START, START);
    }
}
