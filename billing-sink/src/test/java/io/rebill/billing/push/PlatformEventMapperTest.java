package io.rebill.billing.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rebill.schemas.wallet.AccessState;
import io.rebill.schemas.wallet.NumberState;
import io.rebill.schemas.wallet.PhoneNumberStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformEventMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant CHANGED_AT = Instant.parse("2025-05-01T10:00:00.123Z");

    @Test
    void accessChangeBecomesAccessChangedWithItsFields() throws Exception {
        PlatformEvent event = PlatformEventMapper.accessChanged(
                WalletRecords.access("sub-1", AccessState.ON_HOLD, CHANGED_AT)).orElseThrow();

        assertThat(event.id()).isEqualTo("access:sub-1:" + CHANGED_AT.toEpochMilli() + ":ON_HOLD");
        assertThat(event.type()).isEqualTo("access.changed");
        assertThat(event.occurredAt()).isEqualTo(CHANGED_AT);

        JsonNode body = JSON.readTree(PlatformEventMapper.toJson(event));
        assertThat(List.of(body.fieldNames().next(), body.size())).containsExactly("id", 4);
        assertThat(body.get("id").asText()).isEqualTo(event.id());
        assertThat(body.get("type").asText()).isEqualTo("access.changed");
        assertThat(body.get("occurredAt").asText()).isEqualTo("2025-05-01T10:00:00.123Z");
        JsonNode data = body.get("data");
        assertThat(data.get("workspaceId").asText()).isEqualTo(WalletRecords.WORKSPACE);
        assertThat(data.get("subAccountId").asText()).isEqualTo("sub-1");
        assertThat(data.get("state").asText()).isEqualTo("ON_HOLD");
        assertThat(data.get("reason").asText()).isEqualTo("add funds");
        assertThat(data.get("changedAt").asText()).isEqualTo("2025-05-01T10:00:00.123Z");
        assertThat(data.size()).isEqualTo(5);
    }

    @Test
    void theSameChangeAlwaysGetsTheSameIdAndAnotherChangeAnother() {
        String first = PlatformEventMapper.accessChanged(
                WalletRecords.access("sub-1", AccessState.BLOCKED_SUBACCOUNT_FUNDS, CHANGED_AT)).orElseThrow().id();
        String again = PlatformEventMapper.accessChanged(
                WalletRecords.access("sub-1", AccessState.BLOCKED_SUBACCOUNT_FUNDS, CHANGED_AT)).orElseThrow().id();
        String later = PlatformEventMapper.accessChanged(
                WalletRecords.access("sub-1", AccessState.ALLOWED, CHANGED_AT.plusMillis(1))).orElseThrow().id();

        assertThat(again).isEqualTo(first);
        assertThat(later).isNotEqualTo(first).isEqualTo("access:sub-1:" + (CHANGED_AT.toEpochMilli() + 1) + ":ALLOWED");
    }

    @ParameterizedTest
    @CsvSource({"ON_HOLD, number.on_hold", "RELEASED, number.released", "ACTIVE, number.active"})
    void numberStatesBecomeTheirEventTypes(NumberState state, String type) {
        PlatformEvent event = PlatformEventMapper.numberChanged(
                WalletRecords.number("+15551230001", state, CHANGED_AT).build()).orElseThrow();

        assertThat(event.type()).isEqualTo(type);
        assertThat(event.id()).isEqualTo("number:+15551230001:" + state + ":" + CHANGED_AT.toEpochMilli());
        assertThat(event.occurredAt()).isEqualTo(CHANGED_AT);
    }

    @Test
    void numberEventCarriesItsFieldsWithAbsentOnesAsNull() throws Exception {
        Instant heldSince = Instant.parse("2025-04-01T00:00:00Z");
        Instant releasedAt = Instant.parse("2025-05-01T00:00:00Z");
        PhoneNumberStatus released = WalletRecords.number("+15551230001", NumberState.RELEASED, CHANGED_AT)
                .setHeldSince(heldSince)
                .setReleasedAt(releasedAt)
                .setReason("unpaid for 30 days")
                .build();

        JsonNode body = JSON.readTree(PlatformEventMapper.toJson(PlatformEventMapper.numberChanged(released).orElseThrow()));

        assertThat(body.get("type").asText()).isEqualTo("number.released");
        JsonNode data = body.get("data");
        assertThat(data.get("number").asText()).isEqualTo("+15551230001");
        assertThat(data.get("workspaceId").asText()).isEqualTo(WalletRecords.WORKSPACE);
        assertThat(data.get("subAccountId").asText()).isEqualTo("sub-1");
        assertThat(data.get("state").asText()).isEqualTo("RELEASED");
        assertThat(data.get("reason").asText()).isEqualTo("unpaid for 30 days");
        assertThat(data.get("heldSince").asText()).isEqualTo("2025-04-01T00:00:00Z");
        assertThat(data.get("releasedAt").asText()).isEqualTo("2025-05-01T00:00:00Z");
        assertThat(data.get("renewsAt").isNull()).isTrue();
        assertThat(data.get("changedAt").asText()).isEqualTo("2025-05-01T10:00:00.123Z");
        assertThat(data.size()).isEqualTo(9);
    }

    @Test
    void theAgencysOwnNumberHasANullSubAccount() throws Exception {
        PhoneNumberStatus agencyNumber = WalletRecords.number("+15551230002", NumberState.ON_HOLD, CHANGED_AT)
                .setSubAccountId(null)
                .build();

        JsonNode data = JSON.readTree(PlatformEventMapper.toJson(
                PlatformEventMapper.numberChanged(agencyNumber).orElseThrow())).get("data");

        assertThat(data.has("subAccountId")).isTrue();
        assertThat(data.get("subAccountId").isNull()).isTrue();
    }

    @Test
    void unknownStatesHaveNoEvent() {
        assertThat(PlatformEventMapper.numberChanged(
                WalletRecords.number("+15551230001", NumberState.UNKNOWN, CHANGED_AT).build())).isEmpty();
        assertThat(PlatformEventMapper.accessChanged(
                WalletRecords.access("sub-1", AccessState.UNKNOWN, CHANGED_AT))).isEmpty();
    }
}
