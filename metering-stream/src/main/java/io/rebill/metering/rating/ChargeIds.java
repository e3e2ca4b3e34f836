package io.rebill.metering.rating;

/**
 * Deterministic ids of rated charges, derived from the source record so that re-reading a record
 * (a retry, a replay from the dead-letter topic) yields the same id and the wallet applies the
 * charge once.
 */
public final class ChargeIds {

    private ChargeIds() {
    }

    /**
     * {@code cdr:{carrierId}:{cdrId}:v{version}}. A ':' or '%' inside an id is percent-encoded
     * ({@code %3A}, {@code %25}) so two different CDRs can never share a charge id; ids without
     * them appear unchanged.
     */
    public static String forCdr(String carrierId, String cdrId, int version) {
        return "cdr:" + escape(carrierId) + ':' + escape(cdrId) + ":v" + version;
    }

    /** {@code cdr:{carrierId}/{cdrId}/v{version}}: which CDR a charge came from, for people and BI. */
    public static String cdrSourceRef(String carrierId, String cdrId, int version) {
        return "cdr:" + carrierId + '/' + cdrId + "/v" + version;
    }

    private static String escape(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("A charge id needs a non-empty carrier id and CDR id");
        }
        return id.replace("%", "%25").replace(":", "%3A");
    }
}
