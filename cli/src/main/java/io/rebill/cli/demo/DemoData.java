package io.rebill.cli.demo;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RateCardEntry;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import io.rebill.wallet.ledger.WalletIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's world: a USD rate card, two agencies (workspaces) with their clients
 * (sub-accounts) and re-billing settings, and opening balances. The 10,000 sample CDRs shipped
 * in {@code demo/cdrs.csv} are calls of these sub-accounts.
 */
public final class DemoData {

    public static final String CDR_RESOURCE = "/demo/cdrs.csv";
    public static final String CURRENCY = "USD";
    public static final Instant RATES_VALID_FROM = Instant.parse("2026-01-01T00:00:00Z");
    /** US/Canada outbound voice gets cheaper mid-month: calls from then on use version 2. */
    public static final Instant US_PRICE_CHANGE = Instant.parse("2026-11-15T00:00:00Z");
    static final Instant SETTINGS_TIME = Instant.parse("2026-10-31T12:00:00Z");

    /** Agency (a Pro tier that may mark up): one client at the default 1.05x, one marked up, one not re-billed. */
    public static final String ACME = "acme-agency";
    /** Agency on a tier that may not mark up: every multiplier is pinned to 1.05x. */
    public static final String NOVA = "nova-media";

    private DemoData() {
    }

    /** Workspace to its sub-accounts, in report order. */
    public static Map<String, List<String>> workspaces() {
        Map<String, List<String>> workspaces = new LinkedHashMap<>();
        workspaces.put(ACME, List.of("acme-dental", "acme-law", "acme-gym"));
        workspaces.put(NOVA, List.of("nova-cafe", "nova-salon"));
        return workspaces;
    }

    public static List<RateCardEntry> rateCard() {
        return List.of(
                voice("voice-out-us-ca", 1, UsageType.VOICE, Direction.OUTBOUND, "1", 13_000, 6, 6, 0, 0, RATES_VALID_FROM),
                voice("voice-out-us-ca", 2, UsageType.VOICE, Direction.OUTBOUND, "1", 12_000, 6, 6, 0, 0, US_PRICE_CHANGE),
                voice("voice-out-jamaica", 1, UsageType.VOICE, Direction.OUTBOUND, "1876", 215_000, 60, 60, 0, 0, RATES_VALID_FROM),
                voice("voice-out-uk", 1, UsageType.VOICE, Direction.OUTBOUND, "44", 24_000, 60, 60, 0, 0, RATES_VALID_FROM),
                voice("voice-out-uk-mobile", 1, UsageType.VOICE, Direction.OUTBOUND, "447", 95_000, 30, 6, 0, 1_500, RATES_VALID_FROM),
                voice("voice-out-mexico", 1, UsageType.VOICE, Direction.OUTBOUND, "52", 41_500, 1, 1, 30, 0, RATES_VALID_FROM),
                voice("voice-in-us-ca", 1, UsageType.VOICE, Direction.INBOUND, "1", 8_500, 6, 6, 0, 0, RATES_VALID_FROM),
                voice("voice-ai-out-us-ca", 1, UsageType.VOICE_AI, Direction.OUTBOUND, "1", 70_000, 1, 1, 0, 0, RATES_VALID_FROM),
                voice("voice-ai-in-us-ca", 1, UsageType.VOICE_AI, Direction.INBOUND, "1", 70_000, 1, 1, 0, 0, RATES_VALID_FROM));
    }

    private static RateCardEntry voice(String id, int version, UsageType type, Direction direction, String prefix,
                                       long perMinuteMicros, int first, int next, int minimum, long connectFee,
                                       Instant validFrom) {
        return RateCardEntry.newBuilder().setRateId(id).setVersion(version).setUsageType(type)
                .setDirection(direction).setDestinationPrefix(prefix).setCurrency(CURRENCY)
                .setUnitPriceMicros(perMinuteMicros).setFirstIncrementSeconds(first).setNextIncrementSeconds(next)
                .setMinimumBillableSeconds(minimum).setConnectFeeMicros(connectFee).setValidFrom(validFrom)
                .build();
    }

    public static List<RebillingSettings> rebillingSettings() {
        List<RebillingSettings> settings = new ArrayList<>();
        // acme: every sub-account is re-billed at 1.05x unless it has settings of its own.
        settings.add(RebillingSettings.newBuilder().setWorkspaceId(ACME).setRebillingEnabled(true)
                .setUpdatedAt(SETTINGS_TIME).build());
        settings.add(RebillingSettings.newBuilder().setWorkspaceId(ACME).setSubAccountId("acme-law")
                .setRebillingEnabled(true).setVoiceMultiplierBasisPoints(25_000).setVoiceAiMultiplierBasisPoints(30_000)
                .setUpdatedAt(SETTINGS_TIME).build());
        settings.add(RebillingSettings.newBuilder().setWorkspaceId(ACME).setSubAccountId("acme-gym")
                .setRebillingEnabled(false).setUpdatedAt(SETTINGS_TIME).build());
        // nova's tier may not mark up: re-billing at the fixed 1.05x that covers card fees.
        settings.add(RebillingSettings.newBuilder().setWorkspaceId(NOVA).setRebillingEnabled(true)
                .setMarkupAllowed(false).setUpdatedAt(SETTINGS_TIME).build());
        settings.add(RebillingSettings.newBuilder().setWorkspaceId(NOVA).setSubAccountId("nova-salon")
                .setRebillingEnabled(true).setMarkupAllowed(false).setUpdatedAt(SETTINGS_TIME).build());
        return settings;
    }

    /** Opening balance of each wallet in micro-units; a wallet not listed starts at zero. */
    public static Map<String, Long> openingBalances() {
        Map<String, Long> balances = new LinkedHashMap<>();
        balances.put(WalletIds.workspace(ACME), 2_500_000_000L);
        balances.put(WalletIds.subAccount(ACME, "acme-dental"), 750_000_000L);
        balances.put(WalletIds.subAccount(ACME, "acme-law"), 1_500_000_000L);
        balances.put(WalletIds.workspace(NOVA), 1_500_000_000L);
        balances.put(WalletIds.subAccount(NOVA, "nova-cafe"), 600_000_000L);
        balances.put(WalletIds.subAccount(NOVA, "nova-salon"), 400_000_000L);
        return balances;
    }

    /** The opening balances as top-up commands, with ids that make a second demo run change nothing. */
    public static List<WalletCommand> openingTopUps() {
        List<WalletCommand> commands = new ArrayList<>();
        workspaces().forEach((workspace, subAccounts) -> {
            commands.add(topUp(workspace, null));
            subAccounts.forEach(subAccount -> commands.add(topUp(workspace, subAccount)));
        });
        return commands.stream().filter(c -> ((TopUp) c.getPayload()).getAmountMicros() > 0).toList();
    }

    private static WalletCommand topUp(String workspace, String subAccount) {
        String walletId = subAccount == null ? WalletIds.workspace(workspace) : WalletIds.subAccount(workspace, subAccount);
        long amount = openingBalances().getOrDefault(walletId, 0L);
        return WalletCommand.newBuilder().setCommandId("demo-opening:" + walletId).setWorkspaceId(workspace)
                .setSubAccountId(subAccount).setIssuedAt(SETTINGS_TIME).setIssuedBy("rebill demo")
                .setPayload(new TopUp(amount, CURRENCY, "demo-opening-balance", null)).build();
    }
}
