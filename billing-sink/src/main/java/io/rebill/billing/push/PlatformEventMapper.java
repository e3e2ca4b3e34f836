package io.rebill.billing.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rebill.schemas.wallet.AccessState;
import io.rebill.schemas.wallet.AccessStatus;
import io.rebill.schemas.wallet.NumberState;
import io.rebill.schemas.wallet.PhoneNumberStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns wallet-stream's access and number records into {@link PlatformEvent}s and events into
 * their JSON body. A record in state {@code UNKNOWN} (a state this build does not know, read
 * through the enum's default) has no event: the platform could not act on it.
 */
public final class PlatformEventMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlatformEventMapper() {
    }

    /** The {@code access.changed} event of an access record; empty for state UNKNOWN. */
    public static Optional<PlatformEvent> accessChanged(AccessStatus status) {
        if (status.getState() == AccessState.UNKNOWN) {
            return Optional.empty();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("workspaceId", status.getWorkspaceId());
        data.put("subAccountId", status.getSubAccountId());
        data.put("state", status.getState().name());
        data.put("reason", status.getReason());
        data.put("changedAt", iso(status.getChangedAt()));
        return Optional.of(new PlatformEvent(accessEventId(status), PlatformEvent.ACCESS_CHANGED,
                status.getChangedAt(), data));
    }

    /** The {@code number.*} event of a phone number record; empty for state UNKNOWN. */
    public static Optional<PlatformEvent> numberChanged(PhoneNumberStatus status) {
        String type = numberEventType(status.getState());
        if (type == null) {
            return Optional.empty();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("number", status.getNumber());
        data.put("workspaceId", status.getWorkspaceId());
        data.put("subAccountId", status.getSubAccountId());
        data.put("state", status.getState().name());
        data.put("reason", status.getReason());
        data.put("heldSince", iso(status.getHeldSince()));
        data.put("releasedAt", iso(status.getReleasedAt()));
        data.put("renewsAt", iso(status.getRenewsAt()));
        data.put("changedAt", iso(status.getChangedAt()));
        return Optional.of(new PlatformEvent(numberEventId(status), type, status.getChangedAt(), data));
    }

    /** {@code access:{subAccountId}:{changedAt epoch ms}:{state}}. */
    public static String accessEventId(AccessStatus status) {
        return "access:" + status.getSubAccountId() + ":" + status.getChangedAt().toEpochMilli()
                + ":" + status.getState().name();
    }

    /** {@code number:{number}:{state}:{changedAt epoch ms}}. */
    public static String numberEventId(PhoneNumberStatus status) {
        return "number:" + status.getNumber() + ":" + status.getState().name() + ":"
                + status.getChangedAt().toEpochMilli();
    }

    /** The request body: UTF-8 JSON with id, type, occurredAt and data, in that order. */
    public static byte[] toJson(PlatformEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.id());
        body.put("type", event.type());
        body.put("occurredAt", iso(event.occurredAt()));
        body.put("data", event.data());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // Only strings and nulls are written; failing here is a bug, not bad input.
            throw new IllegalStateException("Cannot write event " + event.id() + " as JSON", e);
        }
    }

    private static String numberEventType(NumberState state) {
        return switch (state) {
            case ON_HOLD -> PlatformEvent.NUMBER_ON_HOLD;
            case RELEASED -> PlatformEvent.NUMBER_RELEASED;
            case ACTIVE -> PlatformEvent.NUMBER_ACTIVE;
            case UNKNOWN -> null;
        };
    }

    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
