package io.rebill.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.common.QuantityUnit;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.ChargeKind;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CorrectionPolicyTest {

    private static final RatedUsage V1_CHARGE = new RatedUsage("cdr:c:1:v1", "cdr:c/1/v1", "ws", "sa", UsageType.VOICE,
            QuantityUnit.SECOND, 61, 66, "USD", 14_300, 15_015, true, 10_500, "us", 1,
            Instant.parse("2026-11-10T10:00:00Z"));

    @Test
    void shouldRateWhenNothingWasSeenUnderTheIdentity() {
        assertThat(CorrectionPolicy.decide(Optional.empty(), 1)).isEqualTo(new CorrectionPolicy.Rate());
    }

    @Test
    void shouldDropTheSameVersionAsADuplicate() {
        CorrectionPolicy.Seen seen = new CorrectionPolicy.Seen(1, Optional.of(V1_CHARGE));

        assertThat(CorrectionPolicy.decide(Optional.of(seen), 1)).isEqualTo(new CorrectionPolicy.Duplicate(1));
    }

    @Test
    void shouldDropALowerVersionThatArrivesAfterItsCorrection() {
        CorrectionPolicy.Seen seen = new CorrectionPolicy.Seen(3, Optional.empty());

        assertThat(CorrectionPolicy.decide(Optional.of(seen), 2)).isEqualTo(new CorrectionPolicy.Duplicate(3));
    }

    @Test
    void shouldReverseTheReplacedChargeWhenAHigherVersionArrives() {
        CorrectionPolicy.Seen seen = new CorrectionPolicy.Seen(1, Optional.of(V1_CHARGE));

        assertThat(CorrectionPolicy.decide(Optional.of(seen), 2))
                .isEqualTo(new CorrectionPolicy.Correct(1, Optional.of(V1_CHARGE)));
    }

    @Test
    void shouldHaveNothingToReverseWhenTheReplacedVersionWasNotBillable() {
        CorrectionPolicy.Seen unanswered = new CorrectionPolicy.Seen(1, Optional.empty());

        assertThat(CorrectionPolicy.decide(Optional.of(unanswered), 2))
                .isEqualTo(new CorrectionPolicy.Correct(1, Optional.empty()));
    }

    @Test
    void shouldReverseAChargeIntoItsExactNegativeUnderItsOwnDeterministicId() {
        RatedUsage reversal = V1_CHARGE.reversal();

        assertThat(reversal.chargeId()).isEqualTo("reversal:cdr:c:1:v1");
        assertThat(reversal.kind()).isEqualTo(ChargeKind.REVERSAL);
        assertThat(reversal.reversesChargeId()).isEqualTo("cdr:c:1:v1");
        assertThat(reversal.costMicros() + V1_CHARGE.costMicros()).isZero();
        assertThat(reversal.priceMicros() + V1_CHARGE.priceMicros()).isZero();
        assertThat(reversal.marginMicros() + V1_CHARGE.marginMicros()).isZero();
        assertThat(reversal.workspaceId()).isEqualTo(V1_CHARGE.workspaceId());
        assertThat(reversal.rebilled()).isEqualTo(V1_CHARGE.rebilled());
    }
}
