package io.rebill.billing.push;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One notification to the platform, sent as the JSON body
 * <pre>{"id": "...", "type": "access.changed", "occurredAt": "2025-05-01T10:00:00Z", "data": {...}}</pre>
 *
 * @param id         derived from the record, never random: every retry and redelivery of the same
 *                   change carries the same id, so the receiver de-duplicates on it
 * @param type       one of the {@code *_CHANGED}/{@code NUMBER_*} constants
 * @param occurredAt when the change happened in the wallet ({@code changedAt})
 * @param data       the fields of the type, in a stable order; absent values are {@code null}
 *                   rather than missing, and times are ISO-8601 strings
 */
public record PlatformEvent(String id, String type, Instant occurredAt, Map<String, Object> data) {

    /** A sub-account's access changed; data: workspaceId, subAccountId, state, reason, changedAt. */
    public static final String ACCESS_CHANGED = "access.changed";
    /** A rented number is on hold, unpaid; data as for all number events (see {@link #NUMBER_ACTIVE}). */
    public static final String NUMBER_ON_HOLD = "number.on_hold";
    /** A rented number was given up. */
    public static final String NUMBER_RELEASED = "number.released";
    /**
     * A rented number is (again) in service. Number events carry: number, workspaceId,
     * subAccountId, state, reason, heldSince, releasedAt, renewsAt, changedAt.
     */
    public static final String NUMBER_ACTIVE = "number.active";

    public PlatformEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        // Map.copyOf would reject the null values and lose the field order.
        data = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(data, "data")));
    }
}
