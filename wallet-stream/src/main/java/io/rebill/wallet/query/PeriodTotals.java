package io.rebill.wallet.query;

import io.rebill.money.Micros;
import io.rebill.schemas.wallet.state.UsageTotals;
import io.rebill.schemas.wallet.state.WorkspaceDayUsage;
import io.rebill.wallet.processor.WalletStores;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * What one sub-account's usage came to in the current period, as the agency dashboard shows it:
 * what the workspace paid the platform ("You pay"), what the sub-account paid ("Sub-account
 * pays": zero when it is not re-billed, overage only where plan minutes covered the usage) and the
 * difference ("Profit"). Summed from wallet-stream's daily usage aggregate, net of reversals.
 *
 * <p>The period is the UTC calendar month so far. The aggregate only keeps
 * {@code rebill.wallet.usage.daily.retention.ms} of days, so when the month began before that,
 * {@code from} is the oldest day still kept in full and {@code complete} is false.
 *
 * @param period the month, e.g. {@code "2026-11"}
 * @param from the first day counted
 * @param to the last day counted: today (UTC)
 * @param complete whether {@code from} is the month's first day, so the whole month is counted
 * @param currency null when the sub-account has no usage in the days counted
 * @param charges usage records counted, less the ones reversed
 * @param cost {@code costMicros} as exact decimal text, e.g. {@code "518.504784"}
 */
public record PeriodTotals(String period, LocalDate from, LocalDate to, boolean complete, String currency,
                           long charges, long costMicros, String cost, long priceMicros, String price,
                           long marginMicros, String margin) {

    /** The month of {@code now}, from its first day the aggregate keeps in full, through today. */
    public static LocalDate firstDay(Instant now, Duration retention) {
        LocalDate monthStart = day(now).withDayOfMonth(1);
        // A charge is aggregated when its day starts no earlier than (processing time - retention),
        // so a day starting at or after (now - retention) has every charge processed so far.
        Instant oldestKept = now.minus(retention);
        LocalDate keptFrom = day(oldestKept);
        if (keptFrom.atStartOfDay(ZoneOffset.UTC).toInstant().isBefore(oldestKept)) {
            keptFrom = keptFrom.plusDays(1);
        }
        return keptFrom.isAfter(monthStart) ? keptFrom : monthStart;
    }

    /**
     * Sums {@code subAccountId}'s totals among {@code days} (each day's totals for the whole
     * workspace, every usage type).
     *
     * @throws IllegalStateException when the totals are in more than one currency, which the
     *     ledger never allows (a charge in another currency than the wallet's is rejected)
     */
    public static PeriodTotals of(String subAccountId, LocalDate from, LocalDate to, List<UsageTotals> days) {
        String currency = null;
        long charges = 0;
        long cost = 0;
        long price = 0;
        for (UsageTotals totals : days) {
            if (!subAccountId.equals(totals.getSubAccountId())) {
                continue;
            }
            if (currency == null) {
                currency = totals.getCurrency();
            } else if (!currency.equals(totals.getCurrency())) {
                throw new IllegalStateException("usage of sub-account " + subAccountId + " is in both " + currency
                        + " and " + totals.getCurrency());
            }
            charges += totals.getCharges();
            cost = Math.addExact(cost, totals.getCostMicros());
            price = Math.addExact(price, totals.getPriceMicros());
        }
        long margin = Math.subtractExact(price, cost);
        return new PeriodTotals(YearMonth.from(to).toString(), from, to, from.getDayOfMonth() == 1, currency,
                charges, cost, Micros.format(cost), price, Micros.format(price), margin, Micros.format(margin));
    }

    /** The current period's totals of one sub-account, read from the daily usage window store. */
    public static PeriodTotals fromStore(ReadOnlyWindowStore<String, WorkspaceDayUsage> store, String workspaceId,
                                         String subAccountId, Instant now, Duration retention) {
        LocalDate from = firstDay(now, retention);
        LocalDate to = day(now);
        List<UsageTotals> totals = new ArrayList<>();
        try (WindowStoreIterator<WorkspaceDayUsage> days = store.fetch(WalletStores.usageKey(workspaceId, subAccountId),
                from.atStartOfDay(ZoneOffset.UTC).toInstant(), to.atStartOfDay(ZoneOffset.UTC).toInstant())) {
            while (days.hasNext()) {
                KeyValue<Long, WorkspaceDayUsage> day = days.next();
                totals.addAll(day.value.getTotals().values());
            }
        }
        return of(subAccountId, from, to, totals);
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
