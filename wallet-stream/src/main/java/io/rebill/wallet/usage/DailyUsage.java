package io.rebill.wallet.usage;

import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import java.util.HashMap;
import java.util.Map;

/**
 * The BI view's arithmetic: one workspace's usage on one UTC day, per sub-account and usage
 * type, as charged. A charge adds its units, cost and the price the sub-account really paid
 * (overage only where allowances covered minutes); a reversal subtracts the same, so the day
 * shows net usage. Pure: wallet-stream's windowed aggregate applies it to every settled charge.
 */
public final class DailyUsage {

    /** Totals of one sub-account and usage type. */
    public record Totals(String subAccountId, UsageType usageType, QuantityUnit quantityUnit, String currency,
                         long units, long charges, long costMicros, long priceMicros) {

        public long marginMicros() {
            return Math.subtractExact(priceMicros, costMicros);
        }
    }

    /** One charge as the wallet settled it; {@code reversal} ones carry negative amounts and units. */
    public record Settled(String subAccountId, UsageType usageType, QuantityUnit quantityUnit, String currency,
                          long units, long costMicros, long priceMicros, boolean reversal) {
    }

    private DailyUsage() {
    }

    /** The key a charge's totals are kept under within its workspace and day. */
    public static String key(String subAccountId, UsageType usageType) {
        return subAccountId + "|" + usageType.name();
    }

    /** The day's totals with one more settled charge; the input map is not changed. */
    public static Map<String, Totals> add(Map<String, Totals> day, Settled charge) {
        Map<String, Totals> next = new HashMap<>(day);
        String key = key(charge.subAccountId(), charge.usageType());
        Totals before = day.getOrDefault(key, new Totals(charge.subAccountId(), charge.usageType(),
                charge.quantityUnit(), charge.currency(), 0, 0, 0, 0));
        next.put(key, new Totals(before.subAccountId(), before.usageType(), before.quantityUnit(), before.currency(),
                Math.addExact(before.units(), charge.units()),
                before.charges() + (charge.reversal() ? -1 : 1),
                Math.addExact(before.costMicros(), charge.costMicros()),
                Math.addExact(before.priceMicros(), charge.priceMicros())));
        return next;
    }
}
