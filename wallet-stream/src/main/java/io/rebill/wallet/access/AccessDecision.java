package io.rebill.wallet.access;

import java.util.Objects;

/**
 * An access state with the sentence shown to the end user. The reasons are part of the public
 * contract (the platform shows them as they are): see the constants of {@link AccessPolicy}.
 */
public record AccessDecision(AccessState state, String reason) {

    public AccessDecision {
        Objects.requireNonNull(state, "state");
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an access decision needs a reason");
        }
    }

    public boolean allowed() {
        return state == AccessState.ALLOWED;
    }
}
