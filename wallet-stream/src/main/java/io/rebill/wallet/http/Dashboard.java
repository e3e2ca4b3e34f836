package io.rebill.wallet.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agency dashboard: {@code GET /dashboard/{ws}} (or {@code /dashboard/{ws}/}) is one static
 * HTML page, and {@code GET /dashboard/assets/{file}} its script and style sheet, all from the
 * classpath ({@value #RESOURCES}). The page reads only the JSON API, relative to its own origin, so
 * every instance serves it for every workspace: the API forwards to the owner.
 *
 * <p>Assets are served from a fixed allow-list, matched against the raw path segment, so no
 * encoded or relative name can reach any other resource. The workspace id is checked as the API
 * checks it (400 when malformed); whether the workspace exists is for the page to ask the API.
 * Errors are JSON, as everywhere else in the API.
 */
final class Dashboard {

    static final String PREFIX = "/dashboard/";
    static final String HTML = "text/html; charset=utf-8";

    private static final String RESOURCES = "/io/rebill/wallet/dashboard/";
    private static final String PAGE = "index.html";
    private static final String ASSETS = "assets";
    /** Every file {@code /dashboard/assets/} serves, with its content type. */
    private static final Map<String, String> ASSET_TYPES = Map.of(
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");
    /** The page loads its own script and style sheet and fetches its own origin's API; nothing else. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /** The files as read on first use; they never change while the server runs. */
    private static final Map<String, byte[]> BYTES = new ConcurrentHashMap<>();

    private Dashboard() {
    }

    /** Whether {@code rawPath} is the dashboard's, to be answered by {@link #answer}. */
    static boolean handles(String rawPath) {
        return rawPath != null && rawPath.startsWith(PREFIX);
    }

    /**
     * @param rawPath a path {@link #handles} accepts, still percent-encoded
     * @throws ApiException 404 for no such page or asset, 405 for another method than GET, 400 for a malformed workspace id
     */
    static Reply answer(String rawPath, boolean get) {
        String[] s = rawPath.substring(PREFIX.length()).split("/", -1);
        if (s.length == 2 && s[0].equals(ASSETS)) {
            String type = ASSET_TYPES.get(s[1]);
            if (type == null) {
                throw ApiException.notFound("no such dashboard asset");
            }
            requireGet(get);
            return reply(s[1], type, Map.of());
        }
        boolean page = s.length == 1 || (s.length == 2 && s[1].isEmpty());
        if (!page || s[0].isEmpty()) {
            throw ApiException.notFound("no such resource");
        }
        requireGet(get);
        // The API's own parser checks the id, so the page accepts exactly the ids the API does.
        Routes.parse("/workspaces/" + s[0], null);
        return reply(PAGE, HTML, Map.of("Content-Security-Policy", CONTENT_SECURITY_POLICY));
    }

    private static void requireGet(boolean get) {
        if (!get) {
            throw ApiException.methodNotAllowed();
        }
    }

    private static Reply reply(String file, String type, Map<String, String> extra) {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("Cache-Control", "no-cache");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        return new Reply(200, type, BYTES.computeIfAbsent(file, Dashboard::read), Map.copyOf(headers));
    }

    private static byte[] read(String file) {
        try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource " + RESOURCES + file + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read dashboard resource " + RESOURCES + file, e);
        }
    }
}
