package io.rebill.wallet.allowance;

import java.time.Instant;
import java.util.Objects;

/** A grant as the usage view's history shows it: what was granted and when it was applied. */
public record RecordedGrant(Grant grant, Instant grantedAt) {

    public RecordedGrant {
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(grantedAt, "grantedAt");
    }
}
