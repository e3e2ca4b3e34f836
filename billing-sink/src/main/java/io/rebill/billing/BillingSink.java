package io.rebill.billing;

import io.rebill.billing.http.BillingHttpServer;
import io.rebill.billing.payment.PaymentGateway;
import io.rebill.billing.push.PlatformPushLoop;
import io.rebill.billing.push.PlatformPushSettings;
import io.rebill.billing.push.PlatformWebhookClient;
import io.rebill.billing.refill.RefillSettler;
import io.rebill.billing.refill.WebhookSettler;
import io.rebill.billing.sink.CompactedTopicView;
import io.rebill.billing.sink.RefillRequestLoop;
import io.rebill.billing.sink.WebhookOutcomeWriter;
import io.rebill.billing.stripe.StripePaymentGateway;
import io.rebill.billing.stripe.StripeSettings;
import io.rebill.billing.stripe.StripeWebhookEvents;
import io.rebill.config.ServiceConfig;
import io.rebill.metrics.ServiceMetrics;
import io.rebill.schemas.billing.PaymentMethodOnFile;
import io.rebill.schemas.billing.RefillOutcome;
import io.rebill.topics.Topic;
import io.rebill.billing.retry.Sleeper;
import io.rebill.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * billing-sink assembled: the refill loop (Stripe, or offline notices without a Stripe key), the
 * Stripe webhook endpoint, and the push of access and number changes to the platform when a push
 * URL is configured. Each part runs on its own thread; {@link #close()} stops them all.
 */
public final class BillingSink implements AutoCloseable {

    public static final String SERVICE_NAME = "billing-sink";
    private static final Logger log = LoggerFactory.getLogger(BillingSink.class);
    private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The broker's default maximum: a batch of {@link #MAX_REFILLS_PER_TRANSACTION} Stripe calls with
     * all their retries (about 160 s each at the default timeouts) fits, so a slow payment does not
     * get its transaction aborted.
     */
    private static final int TRANSACTION_TIMEOUT_MS = 900_000;
    private static final int MAX_REFILLS_PER_TRANSACTION = 5;

    private final RefillRequestLoop refills;
    private final WebhookOutcomeWriter webhookWriter;
    private final CompactedTopicView<PaymentMethodOnFile> paymentMethods;
    private final CompactedTopicView<RefillOutcome> outcomes;
    private final Optional<PlatformPushLoop> push;
    private final BillingHttpServer http;
    private final ServiceMetrics metrics;
    private final boolean chargesCards;
    private volatile Thread refillThread;
    private Thread pushThread;

    private BillingSink(RefillRequestLoop refills, WebhookOutcomeWriter webhookWriter,
            CompactedTopicView<PaymentMethodOnFile> paymentMethods, CompactedTopicView<RefillOutcome> outcomes,
            Optional<PlatformPushLoop> push, BillingHttpServer http, ServiceMetrics metrics, boolean chargesCards) {
        this.refills = refills;
        this.webhookWriter = webhookWriter;
        this.paymentMethods = paymentMethods;
        this.outcomes = outcomes;
        this.push = push;
        this.http = http;
        this.metrics = metrics;
        this.chargesCards = chargesCards;
    }

    /** A sink charging cards through Stripe when {@code rebill.billing.stripe.api-key} is set. */
    public static BillingSink create(Properties config) {
        return create(config, UnaryOperator.identity());
    }

    /**
     * @param decorateGateway wraps the Stripe gateway (tests use it to stop the process mid-payment);
     *                        not called when no Stripe key is configured
     */
    public static BillingSink create(Properties config, UnaryOperator<PaymentGateway> decorateGateway) {
        Map<String, Object> settings = ServiceConfig.asMap(config);
        BillingConfig billing = BillingConfig.from(settings);
        Topics topics = Topics.create(settings);
        Clock clock = Clock.systemUTC();
        Optional<StripeSettings> stripe = StripeSettings.from(settings);
        Optional<PaymentGateway> gateway = stripe.map(s -> decorateGateway.apply(new StripePaymentGateway(s)));
        if (gateway.isEmpty()) {
            log.warn("No Stripe API key ({}): refills become 'awaiting offline payment' notices on {}",
                    StripeSettings.API_KEY, topics.billingNotices.name());
        }

        CompactedTopicView<PaymentMethodOnFile> paymentMethods = view(settings, topics.paymentMethods);
        CompactedTopicView<RefillOutcome> outcomes = view(settings, topics.refillOutcomes);
        String transactionalId = config.getProperty(ConsumerConfig.GROUP_ID_CONFIG, BillingSinkApp.APPLICATION_ID)
                + "-" + billing.instanceId();
        ServiceMetrics metrics = ServiceMetrics.create(SERVICE_NAME, billing.instanceId());
        KafkaConsumer<byte[], byte[]> refillConsumer = refillConsumer(settings, billing.instanceId());
        KafkaProducer<byte[], byte[]> refillProducer = producer(settings, transactionalId);
        // The refill consumer's lag: kafka_consumer_fetch_manager_records_lag_max{client_id}.
        metrics.bindKafkaClient(refillConsumer);
        metrics.bindKafkaClient(refillProducer);
        RefillRequestLoop refills = new RefillRequestLoop(refillConsumer, refillProducer,
                topics, new RefillSettler(gateway, clock), paymentMethods, outcomes, billing.undeterminedRetry(),
                billing.undeterminedGiveUp(), clock);
        BillingMeters.registerRefills(metrics.registry(), refills.counters());
        WebhookOutcomeWriter webhookWriter = new WebhookOutcomeWriter(
                () -> producer(settings, transactionalId + "-webhook"), topics, new WebhookSettler(clock), outcomes);

        Optional<PlatformPushLoop> push = PlatformPushSettings.from(settings).map(pushSettings -> {
            KafkaConsumer<String, byte[]> pushConsumer = pushConsumer(settings, billing.instanceId());
            metrics.bindKafkaClient(pushConsumer);
            return new PlatformPushLoop(pushConsumer, topics, pushSettings, new PlatformWebhookClient(pushSettings),
                    clock, Sleeper.system());
        });
        push.ifPresent(loop -> BillingMeters.registerPush(metrics.registry(), loop));
        // Comma-separated: the platform endpoint's secret and the Connect endpoint's.
        List<StripeWebhookEvents> webhookEvents = stripe.map(StripeSettings::webhookSecret).stream()
                .flatMap(secrets -> Arrays.stream(secrets.split(","))).map(String::trim).filter(s -> !s.isEmpty())
                .map(secret -> new StripeWebhookEvents(secret, StripeWebhookEvents.DEFAULT_TOLERANCE_SECONDS, clock))
                .toList();
        // /health: the refill loop runs; /ready: it polls.
        BillingHttpServer http = billing.httpEnabled()
                ? new BillingHttpServer(new InetSocketAddress(billing.httpHost(), billing.httpPort()), webhookEvents,
                        webhookWriter, BillingMeters.probe(refills), metrics)
                : null;
        return new BillingSink(refills, webhookWriter, paymentMethods, outcomes, push, http, metrics,
                gateway.isPresent());
    }

    public BillingSink start() {
        refillThread = new Thread(refills, "billing-sink-refills");
        refillThread.start();
        push.ifPresent(loop -> {
            pushThread = new Thread(loop, "billing-sink-push");
            pushThread.start();
        });
        if (http != null) {
            try {
                http.start();
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("billing-sink HTTP server could not start", e);
            }
        }
        log.info("billing-sink started: {}, platform push {}", chargesCards ? "charging cards through Stripe"
                : "offline payments only", push.isPresent() ? "on" : "off");
        return this;
    }

    public RefillRequestLoop.Counters refills() {
        return refills.counters();
    }

    public Optional<PlatformPushLoop> push() {
        return push;
    }

    /** Its meters (see {@link BillingMeters}), its Kafka clients' and the JVM's, as {@code GET /metrics} serves them. */
    public ServiceMetrics metrics() {
        return metrics;
    }

    /** The HTTP port, once started; -1 without an HTTP server. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public boolean isRunning() {
        return refillThread != null && refillThread.isAlive();
    }

    @Override
    public void close() {
        refills.close();
        push.ifPresent(PlatformPushLoop::close);
        join(refillThread);
        join(pushThread);
        if (http != null) {
            http.close();
        }
        webhookWriter.close();
        paymentMethods.close();
        outcomes.close();
        metrics.close();
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static KafkaConsumer<byte[], byte[]> refillConsumer(Map<String, Object> settings, String instanceId) {
        Map<String, Object> consumer = clientSettings(settings, ConsumerConfig.configNames());
        consumer.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, BillingSinkApp.APPLICATION_ID);
        // Static membership: an instance restarted after a crash takes its partitions straight back
        // instead of waiting for the dead member's session to time out.
        consumer.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A batch holds its transaction open while Stripe answers: few records, plenty of time.
        consumer.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_REFILLS_PER_TRANSACTION);
        consumer.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, TRANSACTION_TIMEOUT_MS);
        return new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaConsumer<String, byte[]> pushConsumer(Map<String, Object> settings, String instanceId) {
        Map<String, Object> consumer = clientSettings(settings, ConsumerConfig.configNames());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, PlatformPushLoop.GROUP_ID);
        consumer.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId + "-push");
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(consumer, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static <V> CompactedTopicView<V> view(Map<String, Object> settings, Topic<String, V> topic) {
        Map<String, Object> consumer = clientSettings(settings, ConsumerConfig.configNames());
        consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumer.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new CompactedTopicView<>(new KafkaConsumer<>(consumer, new StringDeserializer(),
                new ByteArrayDeserializer()), topic.name(),
                (name, bytes) -> topic.valueSerde().deserializer().deserialize(name, bytes), VIEW_TIMEOUT);
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> settings, String transactionalId) {
        Map<String, Object> producer = clientSettings(settings, ProducerConfig.configNames());
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
        return new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Only the settings the Kafka client knows, so it does not warn about Rebill's own. */
    private static Map<String, Object> clientSettings(Map<String, Object> settings, Set<String> known) {
        Map<String, Object> client = new HashMap<>();
        settings.forEach((key, value) -> {
            if (known.contains(key)) {
                client.put(key, value);
            }
        });
        return client;
    }
}
