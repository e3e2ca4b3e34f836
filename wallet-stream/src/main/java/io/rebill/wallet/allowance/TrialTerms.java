package io.rebill.wallet.allowance;

/**
 * The trial every new sub-account starts on, from configuration.
 *
 * @param includedMinutes voice minutes usable during the trial
 * @param days length of the trial; 0 means no trial: the sub-account starts without included minutes
 */
public record TrialTerms(long includedMinutes, int days) {

    public TrialTerms {
        AllowanceBook.requireMinutes(includedMinutes, "Trial included minutes");
        if (days < 0) {
            throw new IllegalArgumentException("Trial days must not be negative, got " + days);
        }
    }
}
