package io.rebill.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.rebilling.Markup;
import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import java.math.BigDecimal;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** cost + margin = price, exactly, for every charge rating can produce (and its reversal). */
class RatedUsagePropertyTest {

    private static final long MAX_COST = 1_000_000_000_000L;

    @Property
    void shouldSplitPriceIntoCostAndMarginExactlyWhenAChargeIsRebilled(
            @ForAll @LongRange(min = 0, max = MAX_COST) long cost,
            @ForAll @IntRange(min = 10_000, max = 100_000) int basisPoints) {
        long price = Markup.priceMicros(cost, basisPoints);
        RatedUsage charge = new RatedUsage("msg:e", "msg:e", "ws", "sa", UsageType.SMS, QuantityUnit.SEGMENT, 1, 1,
                "USD", cost, price, true, basisPoints, "r", 1, Instant.EPOCH);

        assertThat(Math.addExact(cost, Math.subtractExact(price, cost))).isEqualTo(price);
        assertThat(charge.marginMicros()).isEqualTo(price - cost);
        assertThat(BigDecimal.valueOf(cost).add(BigDecimal.valueOf(charge.marginMicros())))
                .isEqualByComparingTo(BigDecimal.valueOf(price));
        RatedUsage reversal = charge.reversal();
        assertThat(reversal.costMicros() + reversal.marginMicros()).isEqualTo(reversal.priceMicros());
    }

}
