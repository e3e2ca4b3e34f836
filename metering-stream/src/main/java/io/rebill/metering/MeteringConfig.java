package io.rebill.metering;

import io.rebill.metering.rating.CdrRating;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** metering-stream's own settings, beside Kafka Streams' and the serdes' in the same properties file. */
public final class MeteringConfig extends AbstractConfig {

    public static final String DEDUP_RETENTION_MS = "rebill.metering.dedup.retention.ms";
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofDays(35);
    public static final String MAX_BILLABLE_SECONDS = "rebill.metering.cdr.max.billable.seconds";
    public static final String HTTP_HOST = "rebill.metering.http.host";
    public static final String HTTP_PORT = "rebill.metering.http.port";
    public static final int DEFAULT_HTTP_PORT = 8092;

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(DEDUP_RETENTION_MS, ConfigDef.Type.LONG, DEFAULT_DEDUP_RETENTION.toMillis(),
                    ConfigDef.Range.atLeast(60_000), ConfigDef.Importance.MEDIUM,
                    "How long metering-stream remembers each CDR and message it rated, counted from when it "
                            + "rated it: a duplicate or correction arriving within this time is dropped or applied "
                            + "as a correction; one arriving later is rated as new. Default 35 days.")
            .define(MAX_BILLABLE_SECONDS, ConfigDef.Type.INT, CdrRating.DEFAULT_MAX_BILLABLE_SECONDS,
                    ConfigDef.Range.atLeast(1), ConfigDef.Importance.MEDIUM,
                    "The longest call rated, in billable seconds: a CDR billing more is rejected as INVALID_CDR "
                            + "to metering.charges.rejected instead of charged. Default 86400 (24 hours).")
            .define(HTTP_HOST, ConfigDef.Type.STRING, "0.0.0.0", ConfigDef.Importance.LOW,
                    "Address the operations endpoints (GET /metrics, /health, /ready) listen on.")
            .define(HTTP_PORT, ConfigDef.Type.INT, DEFAULT_HTTP_PORT, ConfigDef.Range.between(-1, 65535),
                    ConfigDef.Importance.LOW,
                    "Port of the operations endpoints; 0 picks a free one, -1 turns them off.");

    public MeteringConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    public Duration dedupRetention() {
        return Duration.ofMillis(getLong(DEDUP_RETENTION_MS));
    }

    public int maxBillableSeconds() {
        return getInt(MAX_BILLABLE_SECONDS);
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public static ConfigDef definition() {
        return DEFINITION;
    }
}
