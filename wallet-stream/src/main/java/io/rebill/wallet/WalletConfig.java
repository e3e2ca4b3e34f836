package io.rebill.wallet;

import io.rebill.wallet.allowance.TrialTerms;
import io.rebill.wallet.book.WalletRules;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** wallet-stream's own settings, beside Kafka Streams' and the serdes' in the same properties file. */
public final class WalletConfig extends AbstractConfig {

    public static final String TRIAL_MINUTES = "rebill.wallet.trial.minutes";
    public static final String TRIAL_DAYS = "rebill.wallet.trial.days";
    public static final String REFILL_BACKOFF_MS = "rebill.wallet.refill.backoff.ms";
    public static final String NUMBER_GRACE_MS = "rebill.wallet.number.grace.ms";
    public static final String PUNCTUATE_INTERVAL_MS = "rebill.wallet.punctuate.interval.ms";
    public static final String DAILY_USAGE_RETENTION_MS = "rebill.wallet.usage.daily.retention.ms";
    public static final String HTTP_HOST = "rebill.wallet.http.host";
    public static final String HTTP_PORT = "rebill.wallet.http.port";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(TRIAL_MINUTES, ConfigDef.Type.LONG, 0L, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "Minutes a new sub-account's trial includes before usage is charged to its wallet.")
            .define(TRIAL_DAYS, ConfigDef.Type.INT, 14, ConfigDef.Range.atLeast(0), ConfigDef.Importance.MEDIUM,
                    "Length of a new sub-account's trial.")
            .define(REFILL_BACKOFF_MS, ConfigDef.Type.LONG, Duration.ofHours(1).toMillis(), ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.MEDIUM, "After a declined refill, how long before the next is requested.")
            .define(NUMBER_GRACE_MS, ConfigDef.Type.LONG, Duration.ofDays(7).toMillis(), ConfigDef.Range.atLeast(0),
                    ConfigDef.Importance.MEDIUM,
                    "How long a phone number stays on hold, its renewal unpaid, before it is released.")
            .define(PUNCTUATE_INTERVAL_MS, ConfigDef.Type.LONG, Duration.ofMinutes(1).toMillis(),
                    ConfigDef.Range.atLeast(100), ConfigDef.Importance.LOW,
                    "How often (wall clock) due number renewals and refill retries are looked for.")
            .define(DAILY_USAGE_RETENTION_MS, ConfigDef.Type.LONG, Duration.ofDays(8).toMillis(),
                    ConfigDef.Range.atLeast(Duration.ofDays(1).toMillis()), ConfigDef.Importance.LOW,
                    "How far back, by usage time, the daily usage aggregate still accepts a charge.")
            .define(HTTP_HOST, ConfigDef.Type.STRING, "127.0.0.1", ConfigDef.Importance.MEDIUM,
                    "Address the HTTP query API listens on.")
            .define(HTTP_PORT, ConfigDef.Type.INT, 8090, ConfigDef.Range.between(-1, 65535), ConfigDef.Importance.MEDIUM,
                    "Port of the HTTP query API; 0 picks a free one, -1 turns the API off. The instance's "
                            + "application.server must name the same host and port so others can route to it.");

    public WalletConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    public WalletRules rules() {
        return new WalletRules(new TrialTerms(getLong(TRIAL_MINUTES), getInt(TRIAL_DAYS)),
                Duration.ofMillis(getLong(REFILL_BACKOFF_MS)), Duration.ofMillis(getLong(NUMBER_GRACE_MS)));
    }

    public Duration punctuateInterval() {
        return Duration.ofMillis(getLong(PUNCTUATE_INTERVAL_MS));
    }

    public Duration dailyUsageRetention() {
        return Duration.ofMillis(getLong(DAILY_USAGE_RETENTION_MS));
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
