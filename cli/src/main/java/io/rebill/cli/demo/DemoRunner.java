package io.rebill.cli.demo;

import io.rebill.rebilling.RebillingSettingsKey;
import io.rebill.cli.csv.CdrCsvReader;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.cli.kafka.PipelineProgress;
import io.rebill.cli.kafka.TopicReader;
import io.rebill.cli.stack.LocalStack;
import io.rebill.metering.rating.ChargeIds;
import io.rebill.metering.rating.RateCardKey;
import io.rebill.schemas.ops.DeadLetter;
import io.rebill.schemas.rating.RatedCharge;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.wallet.WalletBalance;
import io.rebill.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code rebill demo}: loads the demo's rate card, re-billing settings and opening balances,
 * replays the shipped sample CDRs through the running pipeline, waits until both stream
 * applications have processed all of it, and reads back what they wrote.
 */
public final class DemoRunner {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final LocalStack stack;
    private final Topics topics;

    public DemoRunner(LocalStack stack) {
        this.stack = stack;
        this.topics = stack.topics();
    }

    /** The sample CDRs shipped with the CLI. */
    public static List<CallDetailRecord> sampleCdrs() {
        try (InputStream in = DemoRunner.class.getResourceAsStream(DemoData.CDR_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Sample CDRs " + DemoData.CDR_RESOURCE + " missing from the classpath");
            }
            CdrCsvReader.Result result = CdrCsvReader.read(new InputStreamReader(in, StandardCharsets.UTF_8));
            if (!result.errors().isEmpty()) {
                throw new IllegalStateException("Sample CDRs have errors: " + result.errors());
            }
            return result.records();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Publishes rate card, settings and opening balances. Run before the services start, so the
     * metering stream's global tables hold the rate card before the first CDR is rated.
     */
    public void publishReferenceData() {
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            DemoData.rateCard().forEach(e -> producer.send(topics.rateCard, RateCardKey.of(e), e));
            DemoData.rebillingSettings().forEach(s -> producer.send(topics.rebillingSettings, RebillingSettingsKey.of(s), s));
            DemoData.openingTopUps().forEach(c -> producer.send(topics.walletCommands, c.getWorkspaceId(), c));
            producer.flush();
        }
    }

    /** Sends the CDRs, waits until the pipeline has processed them, and reports. */
    public UsageReport replay(List<CallDetailRecord> cdrs) throws InterruptedException {
        Map<TopicPartition, Long> cdrOffsets;
        try (CatalogProducer producer = new CatalogProducer(stack.clientConfig())) {
            // Keyed by the CDR's identity, so a CDR and its corrections stay in order in one partition.
            cdrs.forEach(cdr -> producer.send(topics.cdrRaw, ChargeIds.cdrKey(cdr.getCarrierId(), cdr.getCdrId()), cdr));
            cdrOffsets = producer.flush();
        }
        Map<String, Object> client = stack.clientConfig();
        try (Admin admin = stack.admin()) {
            new PipelineProgress(client, topics, admin, TIMEOUT).awaitProcessed(cdrOffsets);
        }
        List<RatedCharge> charges = values(TopicReader.readAll(client, topics.chargesRated, TIMEOUT));
        List<DeadLetter> rejected = values(TopicReader.readAll(client, topics.chargesRejected, TIMEOUT));
        List<WalletBalance> balances = values(TopicReader.readAll(client, topics.walletBalances, TIMEOUT));
        return UsageReport.build(cdrs.size(), DemoData.workspaces(), charges, distinctBySource(rejected), balances,
                DemoData.CURRENCY);
    }

    /** A replayed CDR that is rejected again is one rejection, as it is one CDR. */
    private static List<DeadLetter> distinctBySource(List<DeadLetter> rejections) {
        Map<String, DeadLetter> bySource = new java.util.LinkedHashMap<>();
        rejections.forEach(r -> bySource.putIfAbsent(r.getSourceTopic() + "|"
                + (r.getKey() == null ? "" : StandardCharsets.UTF_8.decode(r.getKey().duplicate())), r));
        return List.copyOf(bySource.values());
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

}
