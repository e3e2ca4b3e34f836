package io.rebill.wallet.http;

import static io.rebill.wallet.http.TestHttp.get;
import static io.rebill.wallet.http.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rebill.wallet.http.TestHttp.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /dashboard/{ws}} and {@code /dashboard/assets/{file}} over real HTTP. */
class DashboardRoutesTest {

    private final FakeReadModel readModel = new FakeReadModel().workspace("acme-agency", "acme-dental", 3);
    private WalletHttpServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new WalletHttpServer(new InetSocketAddress("127.0.0.1", 0), readModel, FakeOwners.alwaysSelf(),
                () -> true);
        server.start();
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldServeThePageAsHtmlWithAPolicyThatAllowsOnlyItsOwnOrigin() throws IOException {
        Response response = get(port, "/dashboard/acme-agency");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(response.header("Content-Security-Policy"))
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'");
        assertThat(response.body()).isEqualTo(resource("index.html"))
                .contains("<script src=\"/dashboard/assets/app.js\" defer></script>")
                .contains("<link rel=\"stylesheet\" href=\"/dashboard/assets/style.css\">");
    }

    @Test
    void shouldServeThePageWithATrailingSlashToo() throws IOException {
        Response response = get(port, "/dashboard/acme-agency/");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.body()).isEqualTo(resource("index.html"));
    }

    @Test
    void shouldServeThePageOfAnyWellFormedWorkspaceWithoutAskingTheStores() {
        Response response = get(port, "/dashboard/no-such-workspace");

        // Whether the workspace exists is for the page to ask the API, which routes to its owner.
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(readModel.calls()).isZero();
    }

    @Test
    void shouldServeTheScriptAsJavaScript() throws IOException {
        Response response = get(port, "/dashboard/assets/app.js");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.body()).isEqualTo(resource("app.js"));
    }

    @Test
    void shouldServeTheStyleSheetAsCss() throws IOException {
        Response response = get(port, "/dashboard/assets/style.css");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(response.body()).isEqualTo(resource("style.css"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/dashboard/assets/index.html",
            "/dashboard/assets/APP.JS",
            "/dashboard/assets/app.js.map",
            "/dashboard/assets/",
            "/dashboard/assets/../index.html",
            "/dashboard/assets/..%2findex.html",
            "/dashboard/assets/%2e%2e%2f%2e%2e%2fhttp%2fWalletHttpServer.class",
            "/dashboard/assets/%2e%2e/%2e%2e/http/WalletHttpServer.class",
            "/dashboard/assets/app%2ejs",
            "/dashboard/assets/app.js%00",
            "/dashboard/assets/sub/app.js",
            "/dashboard/assets//app.js",
            "/dashboard/../workspaces/acme-agency",
            "/dashboard/acme-agency/assets/app.js",
            "/dashboard/acme-agency/ledger",
            "/dashboard/",
            "/dashboard//",
    })
    void shouldRefuseAnyPathOutsideTheAllowListWith404(String path) {
        Response response = get(port, path);

        assertThat(response.status()).as(path).isEqualTo(404);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.body()).doesNotContain("<html", "use strict", "class", "WalletHttpServer");
    }

    @Test
    void shouldRefuseBackslashDotAndEncodedSlashSpellingsOfAnAssetWith404() {
        for (String path : new String[] {"/dashboard/assets/..\\app.js", "/dashboard/assets/.\\style.css",
                "/dashboard/assets/./app.js", "/dashboard/assets/%2Fetc%2Fpasswd"}) {
            assertThatThrownBy(() -> Dashboard.answer(path, true)).as(path)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/bad%20id", "/dashboard/-starts-with-a-dash", "/dashboard/%2e%2e",
            "/dashboard/a%2fb", "/dashboard/caf%C3%A9", "/dashboard/a%25"})
    void shouldAnswer400ForAMalformedWorkspaceIdAsTheApiDoes(String path) {
        Response response = get(port, path);
        Response api = get(port, path.replace("/dashboard/", "/workspaces/"));

        assertThat(response.status()).as(path).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.json().get("error").asText()).isEqualTo(api.json().get("error").asText());
        assertThat(api.status()).isEqualTo(400);
    }

    @Test
    void shouldAnswer405WithAllowGetForOtherMethods() {
        for (String path : new String[] {"/dashboard/acme-agency", "/dashboard/assets/app.js"}) {
            Response response = send(port, "POST", path);

            assertThat(response.status()).as(path).isEqualTo(405);
            assertThat(response.header("Allow")).isEqualTo("GET");
        }
    }

    @Test
    void shouldLeaveTheJsonApiAsItWas() {
        Response response = get(port, "/workspaces/acme-agency");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(get(port, "/dashboard").status()).isEqualTo(404);
        assertThat(get(port, "/dashboards/acme-agency").status()).isEqualTo(404);
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream("/io/rebill/wallet/dashboard/" + file)) {
            assertThat(in).as(file).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
