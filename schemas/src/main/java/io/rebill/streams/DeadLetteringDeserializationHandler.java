package io.rebill.streams;

import io.rebill.serde.SchemaRegistryException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be read goes to the dead-letter topic (Kafka Streams' own KIP-1034 record:
 * original key and value bytes, with the exception, topic, partition and offset in headers) and
 * processing goes on. A registry that cannot be reached is not the record's fault: the task fails
 * instead, so the record is retried after restart rather than dead-lettered while it is valid.
 */
public final class DeadLetteringDeserializationHandler extends LogAndContinueExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetteringDeserializationHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (isRegistryOutage(exception)) {
            log.error("Schema registry unavailable while reading {}-{}@{}; failing the task to retry later",
                    context.topic(), context.partition(), context.offset(), exception);
            return Response.fail();
        }
        return super.handleError(context, record, exception);
    }

    static boolean isRegistryOutage(Throwable exception) {
        return SchemaRegistryException.isOutage(exception);
    }
}
