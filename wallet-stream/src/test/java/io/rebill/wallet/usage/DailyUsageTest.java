package io.rebill.wallet.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DailyUsageTest {

    private static final DailyUsage.Settled CALL = new DailyUsage.Settled("sa-1", UsageType.VOICE, QuantityUnit.SECOND,
            "USD", 66, 14_300, 15_015, false);

    @Test
    void shouldSumUnitsCostAndPricePerSubAccountAndUsageType() {
        Map<String, DailyUsage.Totals> day = DailyUsage.add(DailyUsage.add(Map.of(), CALL), CALL);
        day = DailyUsage.add(day, new DailyUsage.Settled("sa-1", UsageType.SMS, QuantityUnit.SEGMENT, "USD", 2,
                15_800, 16_590, false));

        assertThat(day.get("sa-1|VOICE")).isEqualTo(new DailyUsage.Totals("sa-1", UsageType.VOICE, QuantityUnit.SECOND,
                "USD", 132, 2, 28_600, 30_030));
        assertThat(day.get("sa-1|VOICE").marginMicros()).isEqualTo(1_430);
        assertThat(day.get("sa-1|SMS").units()).isEqualTo(2);
    }

    @Test
    void shouldNetAReversalOutOfTheDay() {
        DailyUsage.Settled reversal = new DailyUsage.Settled("sa-1", UsageType.VOICE, QuantityUnit.SECOND, "USD",
                -66, -14_300, -15_015, true);

        Map<String, DailyUsage.Totals> day = DailyUsage.add(DailyUsage.add(Map.of(), CALL), reversal);

        assertThat(day.get("sa-1|VOICE")).isEqualTo(new DailyUsage.Totals("sa-1", UsageType.VOICE, QuantityUnit.SECOND,
                "USD", 0, 0, 0, 0));
    }
}
