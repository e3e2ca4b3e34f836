package io.rebill.wallet.allowance;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer of {@link AllowanceBook#burn}.
 *
 * @param allowance the state after the burn (rolled over to the burn's clock first)
 * @param cycleStart the start of the cycle the burn happened in; keep it with the burn and pass it
 *     to {@link AllowanceBook#restore} when the charge is reversed
 */
public record BurnResult(Allowance allowance, Burn burn, Instant cycleStart) {

    public BurnResult {
        Objects.requireNonNull(allowance, "allowance");
        Objects.requireNonNull(burn, "burn");
        Objects.requireNonNull(cycleStart, "cycleStart");
    }
}
