package io.rebill.wallet.book;

import io.rebill.rebilling.RebillingPolicy;
import io.rebill.wallet.allowance.Plan;
import java.util.Optional;

/** The reference data the wallet rules read: re-billing settings and plans (global tables in wallet-stream). */
public interface ReferenceData {

    /** Whether the sub-account is re-billed now: its own settings, else its workspace's defaults; unknown is no. */
    boolean rebilled(String workspaceId, String subAccountId);

    /** Prices add-ons such as phone numbers for a sub-account. */
    RebillingPolicy rebilling();

    Optional<Plan> plan(String planId, int version);
}
