package io.rebill.cli;

import io.rebill.cli.kafka.TopicReader;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.topics.Topics;
import io.rebill.wallet.ledger.WalletIds;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** The integration tests' money check: what every wallet should hold after the charges, and what wallet.balances says. */
public final class WalletTotals {

    private WalletTotals() {
    }

    /**
     * The opening balances less each charge: its cost from the workspace's wallet and, when it was
     * re-billed (a non-zero price), its price from the sub-account's.
     */
    public static Map<String, Long> lessCharges(Map<String, Long> opening, Collection<RatedCharge> charges) {
        Map<String, Long> expected = new TreeMap<>(opening);
        for (RatedCharge c : charges) {
            expected.merge(WalletIds.workspace(c.getWorkspaceId()), -c.getCostMicros(), Long::sum);
            if (c.getPriceMicros() != 0) {
                expected.merge(WalletIds.subAccount(c.getWorkspaceId(), c.getSubAccountId()), -c.getPriceMicros(),
                        Long::sum);
            }
        }
        return expected;
    }

    /** Every wallet's latest balance on wallet.balances, by wallet id. */
    public static Map<String, Long> latestBalances(Map<String, Object> client, Topics topics, Duration timeout) {
        Map<String, Long> balances = new TreeMap<>();
        TopicReader.readAll(client, topics.walletBalances, timeout)
                .forEach(r -> balances.put(r.value().getWalletId(), r.value().getBalanceMicros()));
        return balances;
    }
}
