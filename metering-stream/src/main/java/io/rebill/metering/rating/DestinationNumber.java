package io.rebill.metering.rating;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.regex.Pattern;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * The number a call is rated on, normalised to E.164 digits so it can be matched against rate-card
 * prefixes. Carriers send numbers "E.164 expected"; this is where that expectation is checked.
 *
 * <p>A number is accepted when libphonenumber parses it as international ({@code +} and a country
 * code) and finds it <em>possible</em> for that country (a plausible length). Full validity is not
 * required: the carrier connected the call, and libphonenumber's metadata can lag newly allocated
 * ranges; the price comes from the rate card's prefixes, not from libphonenumber.
 *
 * @param e164Digits country code and national number, digits only, without the {@code +}
 */
public record DestinationNumber(String e164Digits) {

    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();
    /** libphonenumber's "unknown region": only numbers with a leading '+' and a country code parse. */
    private static final String NO_DEFAULT_REGION = "ZZ";

    private static final Pattern E164_DIGITS = Pattern.compile("[1-9][0-9]{1,14}");

    public DestinationNumber {
        if (e164Digits == null || !E164_DIGITS.matcher(e164Digits).matches()) {
            throw new IllegalArgumentException("Not E.164 digits: '" + e164Digits + "'");
        }
    }

    /**
     * Parses a number as a carrier sent it.
     *
     * @throws UnratableUsageException with {@link ReasonCode#INVALID_NUMBER} when it is not an
     *                                 international number or not a possible one
     */
    public static DestinationNumber parse(String number) {
        if (number == null || number.isBlank()) {
            throw invalid(number, "it is empty");
        }
        if (!number.strip().startsWith("+")) {
            throw invalid(number, "E.164 needs a leading '+' and a country code");
        }
        PhoneNumber parsed;
        try {
            parsed = PHONE_NUMBERS.parse(number, NO_DEFAULT_REGION);
        } catch (NumberParseException e) {
            throw new UnratableUsageException(ReasonCode.INVALID_NUMBER,
                    "'" + number + "' is not a phone number: " + e.getMessage(), e);
        }
        PhoneNumberUtil.ValidationResult possibility = PHONE_NUMBERS.isPossibleNumberWithReason(parsed);
        if (possibility != PhoneNumberUtil.ValidationResult.IS_POSSIBLE) {
            throw invalid(number, "not a possible number for country code " + parsed.getCountryCode()
                    + " (" + possibility + ")");
        }
        String e164 = PHONE_NUMBERS.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
        return new DestinationNumber(e164.substring(1));
    }

    private static UnratableUsageException invalid(String number, String why) {
        return new UnratableUsageException(ReasonCode.INVALID_NUMBER, "'" + number + "' is not a valid number: " + why);
    }
}
