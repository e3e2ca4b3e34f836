package io.rebill.wallet.refill;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.wallet.refill.RefillPolicy.Decision;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

/**
 * The refill policy's promises over random histories of one wallet: charges, top-ups, refill outcomes
 * for the pending request or for stale ids, settings changes, needs for funds and clock jumps of up to
 * 40 days. Outstanding requests, monthly totals and back-offs are tallied here, outside the policy,
 * from what it emitted and what billing answered, so the policy is checked against an independent count.
 */
class RefillPolicyPropertyTest {

    private static final String WALLET = "ws-1/sub-a";
    private static final Instant START = Instant.parse("2026-01-20T08:00:00Z");

    sealed interface Step permits Charge, TopUp, Succeed, Fail, ChangeSettings, Advance, NeedFunds {
    }

    record Charge(long micros) implements Step {
    }

    record TopUp(long micros) implements Step {
    }

    /** An outcome for the pending request when {@code forPending} and one exists, else for a stale id. */
    record Succeed(boolean forPending, int staleChoice, long shortPaidMicros) implements Step {
    }

    record Fail(boolean forPending, int staleChoice, long backoffSeconds) implements Step {
    }

    record ChangeSettings(RefillSettings settings) implements Step {
    }

    record Advance(long seconds) implements Step {
    }

    record NeedFunds(long micros) implements Step {
    }

    /** One emitted request with what the outside tally knew when it was emitted. */
    record Emission(RefillRequest request, int outstandingBefore, Instant notBefore, long monthTotalAfter,
            Long capInForce) {
    }

    /** What one history produced. */
    record History(List<Emission> emissions, int staleOutcomesThatChangedState, List<String> totalMismatches) {
    }

    @Provide
    Arbitrary<RefillSettings> settings() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.longs().between(0, 50_000_000),
                Arbitraries.of(true, false),
                Arbitraries.longs().between(1, 100_000_000),
                Arbitraries.longs().between(1, 300_000_000).injectNull(0.3),
                Arbitraries.of(true, false))
                .as((enabled, threshold, byTarget, size, cap, offline) -> new RefillSettings(enabled > 0, threshold,
                        byTarget ? null : size, byTarget ? threshold + size : null, cap, offline));
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> charge = Arbitraries.longs().between(1, 30_000_000).map(Charge::new);
        Arbitrary<Step> topUp = Arbitraries.longs().between(1, 50_000_000).map(TopUp::new);
        Arbitrary<Step> succeed = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 1000), Arbitraries.longs().between(0, 5_000_000))
                .as((pending, stale, shortPaid) -> new Succeed(pending > 0, stale, shortPaid));
        Arbitrary<Step> fail = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 1000), Arbitraries.longs().between(0, 2 * 86_400))
                .as((pending, stale, backoff) -> new Fail(pending > 0, stale, backoff));
        Arbitrary<Step> change = settings().map(ChangeSettings::new);
        Arbitrary<Step> advance = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 3_600),
                Arbitraries.longs().between(3_600, 3 * 86_400),
                Arbitraries.longs().between(20 * 86_400, 40 * 86_400)).map(Advance::new);
        Arbitrary<Step> needFunds = Arbitraries.longs().between(0, 80_000_000).map(NeedFunds::new);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(6, charge), Tuple.of(2, topUp), Tuple.of(4, succeed), Tuple.of(3, fail),
                Tuple.of(1, change), Tuple.of(4, advance), Tuple.of(2, needFunds));
        return step.list().ofMinSize(10).ofMaxSize(200);
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void shouldKeepAtMostOneRequestOutstandingWhenAnyHistoryIsApplied(@ForAll("settings") RefillSettings initial,
            @ForAll("histories") List<Step> steps) {
        History history = run(initial, steps);
        int emitted = history.emissions().size();
        Statistics.label("requests per history").collect(emitted == 0 ? "0" : emitted < 5 ? "1-4" : "5+");
        Statistics.label("capped").collect(history.emissions().stream().anyMatch(e -> e.capInForce() != null
                && e.monthTotalAfter() == e.capInForce()));

        assertThat(history.emissions()).allSatisfy(e -> assertThat(e.outstandingBefore()).isZero());
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void shouldNeverExceedTheMonthlyCapWhenAnyHistoryIsApplied(@ForAll("settings") RefillSettings initial,
            @ForAll("histories") List<Step> steps) {
        History history = run(initial, steps);

        assertThat(history.emissions()).allSatisfy(e -> {
            if (e.capInForce() != null) {
                assertThat(e.monthTotalAfter()).isLessThanOrEqualTo(e.capInForce());
            }
        });
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void shouldCountTheSameMonthlyTotalAsAnOutsideTallyWhenAnyHistoryIsApplied(
            @ForAll("settings") RefillSettings initial, @ForAll("histories") List<Step> steps) {
        assertThat(run(initial, steps).totalMismatches()).isEmpty();
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void shouldOnlyRequestPositiveAmountsWhenAnyHistoryIsApplied(@ForAll("settings") RefillSettings initial,
            @ForAll("histories") List<Step> steps) {
        History history = run(initial, steps);

        assertThat(history.emissions()).allSatisfy(e -> assertThat(e.request().amountMicros()).isPositive());
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void shouldNotRequestBeforeTheBackoffEndsWhenAPaymentFailed(@ForAll("settings") RefillSettings initial,
            @ForAll("histories") List<Step> steps) {
        History history = run(initial, steps);

        assertThat(history.emissions()).allSatisfy(e -> {
            if (e.notBefore() != null) {
                assertThat(e.request().requestedAt()).isAfterOrEqualTo(e.notBefore());
            }
        });
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void shouldNeverRepeatARequestIdWhenAnyHistoryIsApplied(@ForAll("settings") RefillSettings initial,
            @ForAll("histories") List<Step> steps) {
        List<String> ids = run(initial, steps).emissions().stream().map(e -> e.request().requestId()).toList();

        assertThat(ids).doesNotHaveDuplicates();
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void shouldLeaveTheStateAloneWhenAnOutcomeIsStale(@ForAll("settings") RefillSettings initial,
            @ForAll("histories") List<Step> steps) {
        assertThat(run(initial, steps).staleOutcomesThatChangedState()).isZero();
    }

    /** Plays a history the way wallet-stream's processor would, tallying requests and outcomes itself. */
    private static History run(RefillSettings initial, List<Step> steps) {
        Tally tally = new Tally(RefillState.configured(initial));
        for (Step step : steps) {
            tally.apply(step);
        }
        return new History(tally.emissions, tally.staleChanges, tally.mismatches);
    }

    private static final class Tally {
        private RefillState state;
        private long balance;
        private Instant now = START;
        private Instant notBefore;
        private final Set<String> outstanding = new LinkedHashSet<>();
        private final Set<String> answered = new HashSet<>();
        private final Map<String, RefillRequest> byId = new HashMap<>();
        private final Map<YearMonth, Long> perMonth = new HashMap<>();
        private final List<Emission> emissions = new ArrayList<>();
        private final List<String> mismatches = new ArrayList<>();
        private int staleChanges;

        Tally(RefillState state) {
            this.state = state;
        }

        void apply(Step step) {
            if (step instanceof Charge c) {
                balance -= c.micros();
                observe(RefillPolicy.afterBalanceChange(WALLET, balance, state, now));
            } else if (step instanceof TopUp t) {
                balance += t.micros();
                state = RefillPolicy.onToppedUp(state);
                observe(RefillPolicy.afterBalanceChange(WALLET, balance, state, now));
            } else if (step instanceof Succeed s) {
                succeed(s);
            } else if (step instanceof Fail f) {
                fail(f);
            } else if (step instanceof ChangeSettings c) {
                state = RefillPolicy.onSettings(state, c.settings());
                observe(RefillPolicy.afterBalanceChange(WALLET, balance, state, now));
            } else if (step instanceof Advance a) {
                // A punctuation: the back-off may have ended or a new month begun.
                now = now.plusSeconds(a.seconds());
                observe(RefillPolicy.afterBalanceChange(WALLET, balance, state, now));
            } else if (step instanceof NeedFunds n) {
                observe(RefillPolicy.needFunds(WALLET, balance, n.micros(), state, now));
            }
            checkMonthTotal();
        }

        private void succeed(Succeed s) {
            if (s.forPending() && !outstanding.isEmpty()) {
                String id = outstanding.iterator().next();
                RefillRequest request = byId.get(id);
                long paid = request.amountMicros() - Math.min(s.shortPaidMicros(), request.amountMicros() - 1);
                resolve(id, paid - request.amountMicros());
                balance += paid;
                state = RefillPolicy.onToppedUp(RefillPolicy.onSucceeded(state, id, paid, now));
                observe(RefillPolicy.afterBalanceChange(WALLET, balance, state, now));
            } else {
                RefillState before = state;
                state = RefillPolicy.onSucceeded(state, staleId(s.staleChoice()), 1_000_000, now);
                countIfChanged(before);
            }
        }

        private void fail(Fail f) {
            if (f.forPending() && !outstanding.isEmpty()) {
                String id = outstanding.iterator().next();
                resolve(id, -byId.get(id).amountMicros());
                Duration backoff = Duration.ofSeconds(f.backoffSeconds());
                notBefore = now.plus(backoff);
                state = RefillPolicy.onFailed(state, id, "card_declined", "insufficient_funds", now, backoff);
                observe(RefillPolicy.afterBalanceChange(WALLET, balance, state, now));
            } else {
                RefillState before = state;
                state = RefillPolicy.onFailed(state, staleId(f.staleChoice()), "card_declined", null, now,
                        Duration.ofHours(1));
                countIfChanged(before);
            }
        }

        private void resolve(String id, long adjustment) {
            outstanding.remove(id);
            answered.add(id);
            perMonth.merge(RefillPolicy.monthOf(byId.get(id).requestedAt()), adjustment, Long::sum);
        }

        /** An id billing already answered, or one the policy never issued (a top-up recorded by hand). */
        private String staleId(int choice) {
            if (!answered.isEmpty() && choice % 2 == 0) {
                List<String> ids = new ArrayList<>(answered);
                return ids.get(choice % ids.size());
            }
            return "manual:" + choice;
        }

        private void countIfChanged(RefillState before) {
            if (state != before) {
                staleChanges++;
            }
        }

        private void observe(Decision decision) {
            state = decision.state();
            decision.request().ifPresent(request -> {
                int outstandingBefore = outstanding.size();
                outstanding.add(request.requestId());
                byId.put(request.requestId(), request);
                long total = perMonth.merge(RefillPolicy.monthOf(now), request.amountMicros(), Long::sum);
                emissions.add(new Emission(request, outstandingBefore, notBefore, total,
                        state.settings().monthlyCapMicros()));
            });
        }

        private void checkMonthTotal() {
            if (state.month() == null) {
                return;
            }
            long tallied = perMonth.getOrDefault(state.month(), 0L);
            if (tallied != state.monthRequestedMicros()) {
                mismatches.add(state.month() + ": policy " + state.monthRequestedMicros() + ", tally " + tallied);
            }
        }
    }
}
