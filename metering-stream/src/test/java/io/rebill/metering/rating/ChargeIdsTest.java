package io.rebill.metering.rating;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChargeIdsTest {

    @Test
    void shouldDeriveChargeIdFromCarrierCdrAndVersionWhenRatingACdr() {
        assertThat(ChargeIds.forCdr("carrier-a", "cdr-42", 1)).isEqualTo("cdr:carrier-a:cdr-42:v1");
        assertThat(ChargeIds.forCdr("carrier-a", "cdr-42", 1)).isEqualTo(ChargeIds.forCdr("carrier-a", "cdr-42", 1));
    }

    @Test
    void shouldGiveDifferentIdsWhenColonsWouldOtherwiseMakeThemCollide() {
        String a = ChargeIds.forCdr("a:b", "c", 1);
        String b = ChargeIds.forCdr("a", "b:c", 1);

        assertThat(a).isEqualTo("cdr:a%3Ab:c:v1");
        assertThat(b).isEqualTo("cdr:a:b%3Ac:v1");
        assertThat(ChargeIds.forCdr("a%3Ab", "c", 1)).isEqualTo("cdr:a%253Ab:c:v1").isNotEqualTo(a);
    }

    @Test
    void shouldGiveACorrectionItsOwnIdWhenVersionIsHigher() {
        assertThat(ChargeIds.forCdr("carrier-a", "cdr-42", 2)).isEqualTo("cdr:carrier-a:cdr-42:v2");
    }

    @Test
    void shouldNameTheSourceCdrWhenBuildingSourceRef() {
        assertThat(ChargeIds.cdrSourceRef("carrier-a", "cdr-42", 1)).isEqualTo("cdr:carrier-a/cdr-42/v1");
    }
}
