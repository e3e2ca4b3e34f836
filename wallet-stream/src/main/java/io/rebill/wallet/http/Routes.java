package io.rebill.wallet.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a raw path and query into a {@link Route}. It runs before any store is asked or any request
 * is forwarded, so whichever instance receives a malformed request rejects it.
 */
final class Routes {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String WORKSPACE_ID = "workspace id";
    private static final String SUB_ACCOUNT_ID = "sub-account id";

    private Routes() {
    }

    /**
     * Parses a raw (still percent-encoded) path and query.
     *
     * @throws ApiException 404 for a path that names no resource, 400 for a malformed id or parameter
     */
    static Route parse(String rawPath, String rawQuery) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw notFound();
        }
        // Split before decoding, so an encoded "/" inside an id cannot change the route.
        String[] s = rawPath.substring(1).split("/", -1);
        if (s.length == 1 && s[0].equals("health")) {
            return new Route.Health();
        }
        if (s.length == 1 && s[0].equals("ready")) {
            return new Route.Ready();
        }
        if (s.length == 1 && s[0].equals("metrics")) {
            return new Route.Metrics();
        }
        if (s.length == 2 && s[0].equals("access")) {
            return new Route.Access(id(s[1], SUB_ACCOUNT_ID));
        }
        if (s.length < 2 || !s[0].equals("workspaces")) {
            throw notFound();
        }
        if (s.length == 2) {
            return new Route.Workspace(id(s[1], WORKSPACE_ID));
        }
        if (s.length == 3 && s[2].equals("ledger")) {
            return ledger(id(s[1], WORKSPACE_ID), null, rawQuery);
        }
        if (s.length < 4 || s.length > 5 || !s[2].equals("sub-accounts")) {
            throw notFound();
        }
        if (s.length == 4) {
            return new Route.SubAccount(id(s[1], WORKSPACE_ID), id(s[3], SUB_ACCOUNT_ID));
        }
        if (s[4].equals("usage")) {
            return new Route.Usage(id(s[1], WORKSPACE_ID), id(s[3], SUB_ACCOUNT_ID));
        }
        if (s[4].equals("ledger")) {
            return ledger(id(s[1], WORKSPACE_ID), id(s[3], SUB_ACCOUNT_ID), rawQuery);
        }
        throw notFound();
    }

    private static Route.Ledger ledger(String workspaceId, String subAccountId, String rawQuery) {
        Map<String, String> query = query(rawQuery);
        return new Route.Ledger(workspaceId, subAccountId, limit(query.get("limit")), before(query.get("before")));
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw badLimit();
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw badLimit();
        }
        return limit;
    }

    private static Long before(String value) {
        if (value == null) {
            return null;
        }
        long before;
        try {
            before = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw badBefore();
        }
        if (before < 1) {
            throw badBefore();
        }
        return before;
    }

    private static String id(String rawSegment, String name) {
        String decoded = decode(rawSegment, name);
        if (!ID.matcher(decoded).matches()) {
            throw ApiException.badRequest(name + " is invalid: 1 to 128 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        return decoded;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "a query parameter name");
            String value = decode(eq < 0 ? "" : pair.substring(eq + 1), name);
            if (params.put(name, value) != null) {
                throw ApiException.badRequest(name + " is given more than once");
            }
        }
        return params;
    }

    private static String decode(String raw, String name) {
        try {
            // URLDecoder is for forms: it would turn a literal '+' into a space.
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " is not validly percent-encoded");
        }
    }

    private static ApiException badLimit() {
        return ApiException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static ApiException badBefore() {
        return ApiException.badRequest("before must be a positive whole number (a ledger sequence)");
    }

    private static ApiException notFound() {
        return ApiException.notFound("no such resource");
    }
}
