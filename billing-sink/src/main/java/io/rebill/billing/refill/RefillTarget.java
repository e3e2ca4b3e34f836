package io.rebill.billing.refill;

/**
 * The wallet a refill is for, checked: a wallet id is {@code workspaceId} or
 * {@code workspaceId/subAccountId}, and it must agree with the ids it is sent with.
 */
public record RefillTarget(String requestId, String walletId, String workspaceId, String subAccountId) {

    public RefillTarget {
        requireText(requestId, "request id");
        requireText(walletId, "wallet id");
        requireText(workspaceId, "workspace id");
        if (subAccountId != null && subAccountId.isBlank()) {
            subAccountId = null;
        }
        String expected = subAccountId == null ? workspaceId : workspaceId + "/" + subAccountId;
        if (!walletId.equals(expected)) {
            throw new InvalidRefillRequestException("refill " + requestId + " is for wallet '" + walletId
                    + "' but names workspace '" + workspaceId + "' and sub-account '" + subAccountId
                    + "' (expected wallet '" + expected + "')");
        }
    }

    public boolean isSubAccount() {
        return subAccountId != null;
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new InvalidRefillRequestException("refill request has no " + what);
        }
    }
}
