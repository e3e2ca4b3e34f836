package io.rebill.wallet.allowance;

import io.rebill.schemas.wallet.AllowanceKind;

/**
 * Allowance added to a sub-account by hand or by purchase, as {@code wallet.commands} carries it
 * ({@code AllowanceGrant}).
 *
 * <ul>
 *   <li>{@link AllowanceKind#ADD_ON}: a purchased minute bundle (e.g. 300, 150, 100 minutes); minutes only.
 *   <li>{@link AllowanceKind#LICENSE}: a manual license, either minutes (added to the licensed-minutes
 *       bucket) or days (extending the sub-account's expiry), never both.
 * </ul>
 *
 * @param remarks the agency's note for tracking, may be null
 */
public record Grant(AllowanceKind kind, String name, long minutes, int days, String remarks) {

    public Grant {
        if (kind == null || kind == AllowanceKind.UNKNOWN) {
            throw new IllegalArgumentException("Grant kind must be ADD_ON or LICENSE, got " + kind);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Grant name must not be blank");
        }
        String what = kind + " grant '" + name + "'";
        AllowanceBook.requireMinutes(minutes, what + " minutes");
        if (days < 0) {
            throw new IllegalArgumentException(what + " days must not be negative, got " + days);
        }
        if (minutes == 0 && days == 0) {
            throw new IllegalArgumentException(what + " grants neither minutes nor days");
        }
        if (kind == AllowanceKind.ADD_ON && days != 0) {
            throw new IllegalArgumentException(what + " is an add-on bundle: it carries minutes, not days");
        }
        if (kind == AllowanceKind.LICENSE && minutes != 0 && days != 0) {
            throw new IllegalArgumentException(what + " is either a minutes or a days license, not both");
        }
    }

    /** An add-on minute bundle. */
    public static Grant addOn(String name, long minutes, String remarks) {
        return new Grant(AllowanceKind.ADD_ON, name, minutes, 0, remarks);
    }

    /** A manual license of minutes. */
    public static Grant licenseMinutes(String name, long minutes, String remarks) {
        return new Grant(AllowanceKind.LICENSE, name, minutes, 0, remarks);
    }

    /** A manual license of days. */
    public static Grant licenseDays(String name, int days, String remarks) {
        return new Grant(AllowanceKind.LICENSE, name, 0, days, remarks);
    }
}
