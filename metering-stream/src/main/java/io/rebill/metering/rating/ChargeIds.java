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

    /** {@code msg:{eventId}}, escaped like CDR ids. */
    public static String forMessage(String eventId) {
        return "msg:" + escape(eventId);
    }

    /** {@code msg:{eventId}}: which message event a charge came from. */
    public static String messageSourceRef(String eventId) {
        return "msg:" + eventId;
    }

    /** {@code reversal:{chargeId}}: the one reversal a charge can have, so replaying a correction never credits twice. */
    public static String reversalOf(String chargeId) {
        return "reversal:" + chargeId;
    }

    /**
     * {@code {carrierId}:{cdrId}}, escaped like charge ids: the key CDRs are published under on
     * {@code metering.cdr.raw}, so every version of one CDR lands in one partition and one
     * de-duplication store.
     */
    public static String cdrKey(String carrierId, String cdrId) {
        return escape(carrierId) + ':' + escape(cdrId);
    }

    static String escape(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("A charge id needs non-empty source ids (carrier and CDR id, or message event id)");
        }
        return id.replace("%", "%25").replace(":", "%3A");
    }
}
