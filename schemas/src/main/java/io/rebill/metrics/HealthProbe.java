package io.rebill.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What a service's {@code GET /health} (liveness) and {@code GET /ready} (readiness) report,
 * checked anew on every request. Live: the service's main loops run, so restarting it would not
 * help. Ready: it does its work now (Kafka Streams RUNNING, a consumer loop polling).
 */
@FunctionalInterface
public interface HealthProbe {

    Health check();

    /**
     * @param state what the service is doing, e.g. a Kafka Streams state; shown in both bodies
     */
    record Health(boolean live, boolean ready, String state) {

        /** 200 when live, else 503. */
        public int livenessStatus() {
            return live ? 200 : 503;
        }

        /** 200 when ready, else 503. */
        public int readinessStatus() {
            return ready ? 200 : 503;
        }

        /** {@code {"status":"UP"|"DOWN","state":...}} */
        public Map<String, String> livenessBody() {
            return body(live);
        }

        /** {@code {"status":"UP"|"DOWN","state":...}} */
        public Map<String, String> readinessBody() {
            return body(ready);
        }

        private Map<String, String> body(boolean up) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("status", up ? "UP" : "DOWN");
            body.put("state", state);
            return body;
        }
    }

    /** Live and ready together, as one condition says: its state is {@code UP} or {@code DOWN}. */
    static HealthProbe of(BooleanSupplier up) {
        return () -> {
            boolean isUp = up.getAsBoolean();
            return new Health(isUp, isUp, isUp ? "UP" : "DOWN");
        };
    }
}
