package io.rebill.wallet.allowance;

/**
 * Where the billed seconds of one voice charge came from, so that a reversal can give them back
 * to the same buckets. The parts sum to the charge's billed seconds.
 *
 * @param overageSeconds the seconds no bucket covered: charged to the sub-account wallet
 */
public record Burn(long planSeconds, long addOnSeconds, long licenseSeconds, long overageSeconds) {

    /** Nothing burned. */
    public static final Burn NONE = new Burn(0, 0, 0, 0);

    public Burn {
        if (planSeconds < 0 || addOnSeconds < 0 || licenseSeconds < 0 || overageSeconds < 0) {
            throw new IllegalArgumentException("Burned seconds must not be negative, got plan " + planSeconds
                    + ", add-on " + addOnSeconds + ", license " + licenseSeconds + ", overage " + overageSeconds);
        }
    }

    /** The seconds the allowance covered. */
    public long coveredSeconds() {
        return Math.addExact(Math.addExact(planSeconds, addOnSeconds), licenseSeconds);
    }

    /** All seconds of the charge: covered plus overage. */
    public long billedSeconds() {
        return Math.addExact(coveredSeconds(), overageSeconds);
    }
}
