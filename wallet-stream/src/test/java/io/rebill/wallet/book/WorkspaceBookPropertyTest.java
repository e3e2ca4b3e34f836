package io.rebill.wallet.book;

import static io.rebill.wallet.book.BookFixture.SA;
import static io.rebill.wallet.book.BookFixture.SA_WALLET;
import static io.rebill.wallet.book.BookFixture.T0;
import static io.rebill.wallet.book.BookFixture.WS_WALLET;
import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.wallet.ledger.LedgerCommand;
import io.rebill.wallet.ledger.Posting;
import io.rebill.wallet.refill.RefillRequest;
import io.rebill.wallet.refill.RefillSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Whatever order charges, top-ups, refill outcomes, settings changes, number actions and the
 * clock come in, a wallet never has two refills outstanding, and every balance is the sum of
 * its postings.
 */
class WorkspaceBookPropertyTest {

    @Property(tries = 300)
    void shouldNeverHaveTwoOutstandingRefillsPerWalletAndKeepEveryBalanceTheSumOfItsPostings(
            @ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 2) long seed,
            @ForAll @IntRange(min = 20, max = 150) int steps) {
        Random random = new Random(seed);
        BookFixture fixture = new BookFixture();
        Map<String, Set<String>> outstanding = new HashMap<>(Map.of(WS_WALLET, new HashSet<>(), SA_WALLET, new HashSet<>()));
        List<RefillRequest> everRequested = new ArrayList<>();
        Map<String, Long> postingSums = new HashMap<>();
        Instant now = T0;
        int charges = 0;

        fixture.refillSettings(null, RefillSettings.toTarget(5_000_000, 20_000_000), now);
        fixture.refillSettings(SA, RefillSettings.fixedAmount(2_000_000, 10_000_000), now);
        record(fixture.last, outstanding, everRequested, postingSums);

        for (int step = 0; step < steps; step++) {
            now = now.plus(Duration.ofMinutes(random.nextInt(180)));
            Outcome outcome;
            switch (random.nextInt(8)) {
                case 0, 1, 2 -> outcome = fixture.charge("c-" + ++charges, 1 + random.nextInt(900),
                        random.nextInt(3_000_000), random.nextInt(4_000_000), now);
                case 3 -> outcome = fixture.topUp(random.nextBoolean() ? null : SA, 1 + random.nextInt(8_000_000),
                        null, now);
                case 4 -> outcome = answerARefill(fixture, random, outstanding, everRequested, now);
                case 5 -> outcome = fixture.retryRefills(now.plus(Duration.ofHours(random.nextInt(3))));
                case 6 -> outcome = fixture.command(SA, new LedgerCommand.NumberAction("+1415555" + (1000 + random.nextInt(3)),
                        LedgerCommand.NumberAction.Action.PURCHASE, 1_000_000, "USD"), now);
                default -> outcome = fixture.renew(now.plus(Duration.ofDays(random.nextInt(40))));
            }
            if (outcome instanceof Outcome.Applied applied) {
                record(applied, outstanding, everRequested, postingSums);
            }
            assertThat(outstanding.get(WS_WALLET)).as("outstanding workspace refills").hasSizeLessThanOrEqualTo(1);
            assertThat(outstanding.get(SA_WALLET)).as("outstanding sub-account refills").hasSizeLessThanOrEqualTo(1);
        }
        assertThat(postingSums.getOrDefault(WS_WALLET, 0L)).isEqualTo(fixture.balance(WS_WALLET));
        assertThat(postingSums.getOrDefault(SA_WALLET, 0L)).isEqualTo(fixture.balance(SA_WALLET));
        assertThat(everRequested).extracting(RefillRequest::requestId).doesNotHaveDuplicates();
    }

    /** Billing answers an outstanding request (paid or declined), or an old one again. */
    private static Outcome answerARefill(BookFixture fixture, Random random, Map<String, Set<String>> outstanding,
                                         List<RefillRequest> everRequested, Instant now) {
        if (everRequested.isEmpty()) {
            return fixture.retryRefills(now);
        }
        RefillRequest request = everRequested.get(random.nextInt(everRequested.size()));
        String subAccount = request.walletId().equals(WS_WALLET) ? null : SA;
        if (random.nextBoolean()) {
            Outcome outcome = fixture.topUp(subAccount, request.amountMicros(), request.requestId(), now);
            outstanding.get(request.walletId()).remove(request.requestId());
            return outcome;
        }
        Outcome outcome = fixture.command(subAccount, new LedgerCommand.RefillFailure(request.requestId(),
                "card_declined", "insufficient_funds"), now);
        outstanding.get(request.walletId()).remove(request.requestId());
        return outcome;
    }

    private static void record(Outcome.Applied applied, Map<String, Set<String>> outstanding,
                               List<RefillRequest> everRequested, Map<String, Long> postingSums) {
        for (RefillRequest request : applied.refillRequests()) {
            outstanding.get(request.walletId()).add(request.requestId());
            everRequested.add(request);
        }
        for (Posting posting : applied.postings()) {
            postingSums.merge(posting.wallet().walletId(), posting.amountMicros(), Long::sum);
        }
    }
}
