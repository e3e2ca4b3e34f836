package io.rebill.wallet.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a workspace request on to the wallet-stream instance that owns the workspace, and relays
 * what it answers. The request is marked {@value #FORWARDED_HEADER}, so the receiver never
 * forwards it again: two instances that disagree about ownership during a rebalance cannot bounce
 * a request between them.
 */
final class Forwarder {

    static final String FORWARDED_HEADER = "X-Rebill-Forwarded";

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    private final HttpClient client;
    private final Duration timeout;

    Forwarder(Duration timeout) {
        this.timeout = timeout;
        // HTTP/1.1: the JDK server does not speak HTTP/2, so an upgrade attempt would only cost time.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * @param rawPathAndQuery the path and query exactly as received, still percent-encoded
     * @throws ApiException 502 when the owner cannot be reached or does not answer in time
     */
    Reply forward(HostInfo owner, String workspaceId, String rawPathAndQuery) {
        URI uri = URI.create("http://" + authority(owner) + rawPathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header(FORWARDED_HEADER, "1")
                .header("Accept", WalletJson.CONTENT_TYPE)
                .GET()
                .build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            log.warn("Owner {} of workspace {} did not answer {}", owner, workspaceId, rawPathAndQuery, e);
            throw ApiException.badGateway("the instance that owns workspace " + workspaceId + " did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.retryLater("this instance is shutting down, retry");
        }
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        Map<String, String> headers = response.headers().firstValue("Retry-After")
                .map(value -> Map.of("Retry-After", value))
                .orElse(Map.of());
        return new Reply(response.statusCode(), contentType, response.body(), headers);
    }

    private static String authority(HostInfo host) {
        // An IPv6 literal needs brackets in a URI.
        String name = host.host().indexOf(':') >= 0 && !host.host().startsWith("[")
                ? "[" + host.host() + "]"
                : host.host();
        return name + ":" + host.port();
    }
}
