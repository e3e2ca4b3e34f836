package io.rebill.wallet.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rebill.wallet.query.PeriodTotals;
import io.rebill.wallet.query.SubAccountView;
import java.io.IOException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The sub-account view's JSON, as the dashboard reads it. */
class SubAccountViewJsonTest {

    @Test
    void shouldWriteReBillingAndPeriodTotalsWithDatesAsTextAndMoneyAsExactDecimals() throws IOException {
        PeriodTotals period = new PeriodTotals("2026-11", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 22), true,
                "USD", 1872, 518_504_784L, "518.504784", 544_430_164L, "544.430164", 25_925_380L, "25.925380");

        JsonNode json = WalletJson.mapper().readTree(WalletJson.write(
                new SubAccountView("acme-agency", "acme-dental", null, null, null, true, period)));

        assertThat(json.get("rebilled").asBoolean()).isTrue();
        assertThat(json.at("/period/period").asText()).isEqualTo("2026-11");
        assertThat(json.at("/period/from").asText()).isEqualTo("2026-11-01");
        assertThat(json.at("/period/to").asText()).isEqualTo("2026-11-22");
        assertThat(json.at("/period/complete").asBoolean()).isTrue();
        assertThat(json.at("/period/currency").asText()).isEqualTo("USD");
        assertThat(json.at("/period/charges").asLong()).isEqualTo(1872);
        assertThat(json.at("/period/costMicros").asLong()).isEqualTo(518_504_784L);
        assertThat(json.at("/period/cost").asText()).isEqualTo("518.504784");
        assertThat(json.at("/period/price").asText()).isEqualTo("544.430164");
        assertThat(json.at("/period/margin").asText()).isEqualTo("25.925380");
    }

    @Test
    void shouldWriteNullReBillingAndPeriodForReadModelsThatDoNotKnowThem() throws IOException {
        JsonNode json = WalletJson.mapper().readTree(WalletJson.write(
                new SubAccountView("acme-agency", "acme-dental", null, null, null)));

        assertThat(json.has("rebilled")).isTrue();
        assertThat(json.get("rebilled").isNull()).isTrue();
        assertThat(json.get("period").isNull()).isTrue();
    }
}
