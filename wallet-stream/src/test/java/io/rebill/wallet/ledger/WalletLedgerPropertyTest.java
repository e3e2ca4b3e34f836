package io.rebill.wallet.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ledger's invariant over long random histories: a wallet's balance is the sum of its postings. */
class WalletLedgerPropertyTest {

    private static final String WS = "ws-1";
    private static final List<String> SUB_ACCOUNTS = List.of("sub-a", "sub-b", "sub-c");
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldKeepEveryBalanceEqualToSumOfItsPostingsWhenApplyingRandomChargesAndCommands() {
        Map<Class<?>, Integer> outcomes = new HashMap<>();
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            DoubleWallet state = DoubleWallet.empty(WS);
            Map<String, Long> postedSums = new HashMap<>();
            Map<String, Long> postedCounts = new HashMap<>();

            for (int step = 0; step < 500; step++) {
                Instant at = START.plusSeconds(step);
                LedgerResult result = random.nextInt(4) == 0
                        ? WalletLedger.applyCommand(state, randomCommand(random, step, at), at)
                        : WalletLedger.applyCharge(state, randomCharge(random, step, at), at);

                outcomes.merge(result.getClass(), 1, Integer::sum);
                if (result instanceof LedgerResult.Applied applied) {
                    for (Posting posting : applied.postings()) {
                        String walletId = posting.wallet().walletId();
                        long sum = postedSums.merge(walletId, posting.amountMicros(), Long::sum);
                        postedCounts.merge(walletId, 1L, Long::sum);
                        assertThat(posting.balanceAfterMicros()).as("running balance of %s, seed %d", walletId, seed)
                                .isEqualTo(sum);
                    }
                } else {
                    assertThat(result.state()).as("a rejection changes nothing, seed %d", seed).isSameAs(state);
                }
                state = result.state();
            }

            assertBalancesMatch(state, postedSums, postedCounts, seed);
        }
        assertThat(outcomes).as("the histories exercise both outcomes")
                .containsOnlyKeys(LedgerResult.Applied.class, LedgerResult.Rejected.class);
    }

    private static void assertBalancesMatch(DoubleWallet state, Map<String, Long> postedSums,
                                            Map<String, Long> postedCounts, long seed) {
        Map<String, Wallet> wallets = new HashMap<>();
        if (state.workspace() != null) {
            wallets.put(WalletIds.workspace(WS), state.workspace());
        }
        state.subAccounts().forEach((sub, wallet) -> wallets.put(WalletIds.subAccount(WS, sub), wallet));

        assertThat(wallets.keySet()).as("wallets with postings, seed %d", seed).isEqualTo(postedSums.keySet());
        wallets.forEach((walletId, wallet) -> {
            assertThat(wallet.balanceMicros()).as("balance of %s, seed %d", walletId, seed)
                    .isEqualTo(postedSums.get(walletId));
            assertThat(wallet.entryCount()).as("entries of %s, seed %d", walletId, seed)
                    .isEqualTo(postedCounts.get(walletId));
        });
    }

    private static Charge randomCharge(Random random, int step, Instant at) {
        boolean rebilled = random.nextBoolean();
        long cost = random.nextInt(20) == 0 ? -1 : random.nextInt(200_000);
        long price = rebilled ? cost + random.nextInt(50_000) : 0;
        return new Charge("c-" + step, WS, randomSubAccount(random), randomCurrency(random), cost, price, rebilled,
                at, "random usage");
    }

    private static LedgerCommand randomCommand(Random random, int step, Instant at) {
        String currency = randomCurrency(random);
        long amount = random.nextInt(5_000_000) - 100_000;
        LedgerCommand.Payload payload = switch (random.nextInt(4)) {
            case 0 -> new LedgerCommand.TopUp(amount, currency, "pi_" + step);
            case 1 -> new LedgerCommand.ManualCredit(amount, currency, null);
            case 2 -> new LedgerCommand.Adjustment(amount, currency, "random");
            default -> new LedgerCommand.Unsupported("AllowanceGrant");
        };
        String target = random.nextInt(3) == 0 ? null : randomSubAccount(random);
        return new LedgerCommand("cmd-" + step, WS, target, at, null, payload);
    }

    private static String randomSubAccount(Random random) {
        return SUB_ACCOUNTS.get(random.nextInt(SUB_ACCOUNTS.size()));
    }

    /** Mostly USD, so that the occasional EUR exercises currency mismatches. */
    private static String randomCurrency(Random random) {
        return random.nextInt(30) == 0 ? "EUR" : "USD";
    }
}
