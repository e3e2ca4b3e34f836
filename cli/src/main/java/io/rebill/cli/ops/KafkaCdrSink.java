package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.kafka.CatalogProducer;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.topics.Topic;
import io.rebill.topics.Topics;

/** Produces imported CDRs to {@code metering.cdr.raw} with the catalog's serdes, acknowledged by all replicas. */
final class KafkaCdrSink implements CdrSink {

    private final CatalogProducer producer;
    private final Topic<String, CallDetailRecord> topic;

    private KafkaCdrSink(CatalogProducer producer, Topic<String, CallDetailRecord> topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** Checks that Kafka and the registry answer before the first record, so a wrong address is one clear error. */
    static KafkaCdrSink open(KafkaOptions kafka) {
        Topics topics = kafka.topics();
        kafka.requireKafka(topics.cdrRaw.name());
        kafka.requireRegistry();
        return new KafkaCdrSink(new CatalogProducer(kafka.clientConfig()), topics.cdrRaw);
    }

    @Override
    public void send(String key, CallDetailRecord cdr) {
        producer.send(topic, key, cdr);
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
