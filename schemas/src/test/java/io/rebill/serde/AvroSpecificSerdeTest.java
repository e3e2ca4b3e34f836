package io.rebill.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.wallet.AccessState;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.TopUp;
import io.rebill.schemas.wallet.WalletCommand;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AvroSpecificSerdeTest {

    private String scope;
    private AvroSpecificSerde<AccessStatus> serde;

    @BeforeEach
    void newRegistry() {
        scope = "serde-test-" + UUID.randomUUID();
        serde = new AvroSpecificSerde<>(AccessStatus.class);
        serde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);
    }

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldWriteConfluentWireFormatGoldenBytes() {
        AccessStatus status = new AccessStatus("ws-1", "sa-1", AccessState.ALLOWED, "ok", Instant.ofEpochMilli(1000));

        byte[] bytes = serde.serializer().serialize("wallet.access", status);

        // magic 0 | schema id 1 (big-endian) | "ws-1" | "sa-1" | enum 0 | "ok" | 1000 ms as zig-zag varint
        assertThat(HexFormat.of().formatHex(bytes))
                .isEqualTo("00" + "00000001" + "08" + "77732d31" + "08" + "73612d31" + "00" + "04" + "6f6b" + "d00f");
    }

    @Test
    void shouldRegisterUnderTopicNameStrategySubjects() {
        AccessStatus status = new AccessStatus("ws-1", "sa-1", AccessState.ALLOWED, "ok", Instant.EPOCH);
        serde.serializer().serialize("wallet.access", status);
        AvroSpecificSerde<AccessStatus> keySerde = new AvroSpecificSerde<>(AccessStatus.class);
        keySerde.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), true);
        keySerde.serializer().serialize("wallet.access", status);

        assertThat(MockSchemaRegistry.forScope(scope).subjects())
                .containsExactlyInAnyOrder("wallet.access-value", "wallet.access-key");
    }

    @Test
    void shouldKeepEachThreadsRecordsApartWhenThreadsShareOneSerde() throws Exception {
        // Stream threads share a topology's serdes, and each thread reuses its own buffer and decoder.
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<AccessStatus>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String subAccount = "sa-" + t + "-" + "x".repeat(t * 300);
                results.add(threads.submit(() -> {
                    List<AccessStatus> readBack = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        AccessStatus status = new AccessStatus("ws-" + i, subAccount, AccessState.values()[i % 4],
                                "reason " + i, Instant.ofEpochMilli(i));
                        readBack.add(serde.deserializer().deserialize("wallet.access",
                                serde.serializer().serialize("wallet.access", status)));
                    }
                    return readBack;
                }));
            }
            for (int t = 0; t < 4; t++) {
                List<AccessStatus> readBack = results.get(t).get(1, TimeUnit.MINUTES);
                for (int i = 0; i < readBack.size(); i++) {
                    assertThat(readBack.get(i)).isEqualTo(new AccessStatus("ws-" + i, "sa-" + t + "-" + "x".repeat(t * 300),
                            AccessState.values()[i % 4], "reason " + i, Instant.ofEpochMilli(i)));
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldRoundTripRecordsWithUnionsAndLogicalTypes() {
        AvroSpecificSerde<WalletCommand> commands = new AvroSpecificSerde<>(WalletCommand.class);
        commands.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);
        WalletCommand command = WalletCommand.newBuilder()
                .setCommandId("cmd-1").setWorkspaceId("ws-1").setSubAccountId("sa-1")
                .setIssuedAt(Instant.parse("2026-11-01T10:15:30.123Z"))
                .setPayload(new TopUp(25_000_000L, "USD", "pi_123", "rr-1"))
                .build();

        byte[] bytes = commands.serializer().serialize("wallet.commands", command);

        assertThat(commands.deserializer().deserialize("wallet.commands", bytes)).isEqualTo(command);
    }

    @Test
    void shouldKeepNullAsTombstone() {
        assertThat(serde.serializer().serialize("wallet.access", null)).isNull();
        assertThat(serde.deserializer().deserialize("wallet.access", null)).isNull();
    }

    @Test
    void shouldRejectBytesWithoutMagicByte() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("wallet.access", "garbage!".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not the Confluent wire format's magic byte");
    }

    @Test
    void shouldRejectPayloadTooShortForHeader() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("wallet.access", new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void shouldRejectUnknownSchemaIdWithRegistryCode() {
        byte[] unknownId = {0, 0, 0, 0x30, 0x39, 2, 3};

        assertThatThrownBy(() -> serde.deserializer().deserialize("wallet.access", unknownId))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND))
                .hasMessageContaining("no schema with id 12345");
    }

    @Test
    void shouldRejectRecordWrittenWithAnotherSchema() {
        AvroSpecificSerde<RatedCharge> charges = new AvroSpecificSerde<>(RatedCharge.class);
        charges.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);
        byte[] accessBytes = serde.serializer().serialize("wallet.access",
                new AccessStatus("ws", "sa", AccessState.ALLOWED, "ok", Instant.EPOCH));

        assertThatThrownBy(() -> charges.deserializer().deserialize("metering.charges.rated", accessBytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("was written as io.rebill.schemas.wallet.AccessStatus");
    }

    @Test
    void shouldRejectTruncatedAvroBody() {
        byte[] bytes = serde.serializer().serialize("wallet.access",
                new AccessStatus("ws-1", "sa-1", AccessState.ALLOWED, "ok", Instant.EPOCH));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);

        assertThatThrownBy(() -> serde.deserializer().deserialize("wallet.access", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("is not a valid AccessStatus");
    }

    @Test
    void shouldReadRecordsWrittenWithAnOlderSchemaVersion() throws Exception {
        // BACKWARD evolution: data written before issuedBy existed reads with its default (null).
        Schema current = WalletCommand.getClassSchema();
        Schema older = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                current.getFields().stream().filter(f -> !f.name().equals("issuedBy"))
                        .map(f -> new Schema.Field(f, f.schema())).toList());
        assertThat(older.getField("issuedBy")).isNull();
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        int olderId = registry.register("wallet.commands-value", older);

        GenericRecord topUp = new GenericData.Record(older.getField("payload").schema().getTypes().get(0));
        topUp.put("amountMicros", 5L);
        topUp.put("currency", "USD");
        topUp.put("paymentReference", "offline-1");
        topUp.put("refillRequestId", null);
        GenericRecord command = new GenericData.Record(older);
        command.put("commandId", "cmd-old");
        command.put("workspaceId", "ws-1");
        command.put("subAccountId", null);
        command.put("issuedAt", 1_000L);
        command.put("payload", topUp);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0, 0, (byte) olderId});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(older).write(command, encoder);
        encoder.flush();

        AvroSpecificDeserializer<WalletCommand> reader = new AvroSpecificDeserializer<>(WalletCommand.class, registry);
        WalletCommand read = reader.deserialize("wallet.commands", out.toByteArray());

        assertThat(read.getCommandId()).isEqualTo("cmd-old");
        assertThat(read.getIssuedBy()).isNull();
        assertThat(read.getIssuedAt()).isEqualTo(Instant.ofEpochMilli(1_000));
        assertThat(read.getPayload()).isEqualTo(new TopUp(5L, "USD", "offline-1", null));
    }

    @Test
    void shouldFailWithoutAutoRegisterWhenSchemaIsMissing() {
        AvroSpecificSerde<AccessStatus> strict = new AvroSpecificSerde<>(AccessStatus.class);
        strict.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope,
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        assertThatThrownBy(() -> strict.serializer().serialize("wallet.access",
                new AccessStatus("ws", "sa", AccessState.ALLOWED, "ok", Instant.EPOCH)))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND))
                .hasMessageContaining("subject 'wallet.access-value' is not registered");
    }

    @Test
    void shouldRefuseIncompatibleNewVersionWith409() {
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        Schema v1 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":\"long\"}]}");
        Schema v2 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"A\",\"fields\":["
                + "{\"name\":\"x\",\"type\":\"long\"},{\"name\":\"y\",\"type\":\"long\"}]}");
        registry.register("t-value", v1);

        assertThatThrownBy(() -> registry.register("t-value", v2))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("incompatible with an earlier version");
    }
}
