package io.rebill.wallet.book;

import io.rebill.rebilling.RebillingPolicy;
import io.rebill.rebilling.RebillingSettingsKey;
import io.rebill.rebilling.RebillingTerms;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.wallet.allowance.Plan;
import io.rebill.wallet.allowance.TrialTerms;
import io.rebill.wallet.ledger.Charge;
import io.rebill.wallet.ledger.DoubleWallet;
import io.rebill.wallet.ledger.LedgerCommand;
import io.rebill.wallet.ledger.Wallet;
import io.rebill.wallet.ledger.WalletRef;
import io.rebill.wallet.refill.RefillSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A workspace {@code ws} with sub-account {@code sa}, reference data in memory, and a book to apply records with. */
final class BookFixture {

    static final String WS = "ws";
    static final String SA = "sa";
    static final String WS_WALLET = "ws";
    static final String SA_WALLET = "ws/sa";
    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    static final Duration BACKOFF = Duration.ofHours(1);
    static final Duration GRACE = Duration.ofDays(7);

    final Map<String, RebillingTerms> settings = new HashMap<>();
    final Map<String, Plan> plans = new HashMap<>();
    final WorkspaceBook book;
    WorkspaceState state = new WorkspaceState(DoubleWallet.empty(WS), Map.of(), Map.of(), Map.of(), Map.of());
    Outcome.Applied last;
    private int commands;

    BookFixture() {
        rebilled(true);
        RebillingPolicy policy = new RebillingPolicy(key -> Optional.ofNullable(settings.get(key)));
        book = new WorkspaceBook(new WalletRules(new TrialTerms(0, 14), BACKOFF, GRACE), new ReferenceData() {
            @Override
            public boolean rebilled(String workspaceId, String subAccountId) {
                return Optional.ofNullable(settings.get(RebillingSettingsKey.forSubAccount(workspaceId, subAccountId)))
                        .or(() -> Optional.ofNullable(settings.get(RebillingSettingsKey.forWorkspace(workspaceId))))
                        .map(RebillingTerms::rebillingEnabled).orElse(false);
            }

            @Override
            public RebillingPolicy rebilling() {
                return policy;
            }

            @Override
            public Optional<Plan> plan(String planId, int version) {
                return Optional.ofNullable(plans.get(planId + ":v" + version));
            }
        });
    }

    void rebilled(boolean enabled) {
        settings.put(WS, new RebillingTerms(enabled, true, Map.of(UsageType.VOICE, 15_000, UsageType.PHONE_NUMBER, 15_000)));
    }

    void plan(Plan plan) {
        plans.put(plan.planId() + ":v" + plan.version(), plan);
    }

    Outcome charge(String id, long billedSeconds, long cost, long price, Instant now) {
        Charge charge = new Charge(id, WS, SA, "USD", cost, price, true, now, "VOICE " + billedSeconds + " s");
        return apply(book.applyCharge(state, new ChargeInput(charge, UsageType.VOICE, QuantityUnit.SECOND,
                billedSeconds, Optional.empty()), now));
    }

    Outcome reverse(String id, long billedSeconds, long cost, long price, AppliedCharge original, Instant now) {
        Charge reversal = new Charge("reversal:" + id, WS, SA, "USD", -cost, -price, true, now, "reversal", true,
                Charge.Type.REVERSAL);
        return apply(book.applyCharge(state, new ChargeInput(reversal, UsageType.VOICE, QuantityUnit.SECOND,
                -billedSeconds, Optional.of(original)), now));
    }

    Outcome command(String subAccountId, LedgerCommand.Payload payload, Instant now) {
        return apply(book.applyCommand(state,
                new LedgerCommand("cmd-" + ++commands, WS, subAccountId, now, "test", payload), now));
    }

    Outcome topUp(String subAccountId, long micros, String refillRequestId, Instant now) {
        return command(subAccountId, new LedgerCommand.TopUp(micros, "USD", "pi_" + commands, refillRequestId), now);
    }

    Outcome refillSettings(String subAccountId, RefillSettings refill, Instant now) {
        return command(subAccountId, new LedgerCommand.RefillSettingsChange(refill, "USD"), now);
    }

    Outcome renew(Instant now) {
        return apply(book.renewNumbers(state, now));
    }

    Outcome retryRefills(Instant now) {
        return apply(book.retryRefills(state, now));
    }

    private Outcome apply(Outcome outcome) {
        if (outcome instanceof Outcome.Applied applied) {
            state = applied.state();
            last = applied;
        }
        return outcome;
    }

    long balance(String walletId) {
        WalletRef ref = walletId.equals(WS) ? WalletRef.workspace(WS) : WalletRef.subAccount(WS, SA);
        return state.wallets().wallet(ref).map(Wallet::balanceMicros).orElse(0L);
    }
}
