package io.rebill.wallet.http;

import java.util.Map;

/**
 * A response of wallet-stream's HTTP API before it is written: either built here from the local
 * read model, or relayed as is from the instance that owns the workspace.
 *
 * @param contentType null when a relayed response had none
 * @param headers extra headers, e.g. {@code Retry-After}
 */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    static Reply json(int status, Object body) {
        return new Reply(status, WalletJson.CONTENT_TYPE, WalletJson.write(body), Map.of());
    }

    static Reply error(ApiException e) {
        Map<String, String> headers = Map.of();
        if (e.retryable()) {
            headers = Map.of("Retry-After", "1");
        } else if (e.status() == 405) {
            headers = Map.of("Allow", "GET");
        }
        return new Reply(e.status(), WalletJson.CONTENT_TYPE, WalletJson.error(e.getMessage()), headers);
    }
}
