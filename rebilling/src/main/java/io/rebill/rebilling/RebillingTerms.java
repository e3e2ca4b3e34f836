package io.rebill.rebilling;

import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RebillingSettings;
import java.util.Map;
import java.util.Optional;

/**
 * One re-billing settings record (a sub-account's own, or its workspace's default), as
 * {@link RebillingPolicy} reads it. Pure data: metering-stream prices usage with it, wallet-stream
 * prices phone numbers and decides access with it.
 *
 * @param markupAllowed false on workspace tiers that may not mark up
 * @param multiplierBasisPoints per usage type, 10000 = 1.00x
 * @param fixedResalePricesMicros add-on name to the price the sub-account pays instead of a multiplier
 */
public record RebillingTerms(boolean rebillingEnabled, boolean markupAllowed,
                             Map<UsageType, Integer> multiplierBasisPoints, Map<String, Long> fixedResalePricesMicros) {

    public RebillingTerms {
        multiplierBasisPoints = Map.copyOf(multiplierBasisPoints);
        fixedResalePricesMicros = Map.copyOf(fixedResalePricesMicros);
    }

    public RebillingTerms(boolean rebillingEnabled, boolean markupAllowed, Map<UsageType, Integer> multiplierBasisPoints) {
        this(rebillingEnabled, markupAllowed, multiplierBasisPoints, Map.of());
    }

    /** The multiplier these terms set for a usage type, as set (range and tier checks are the policy's). */
    public Optional<Integer> multiplierFor(UsageType usageType) {
        return Optional.ofNullable(multiplierBasisPoints.get(usageType));
    }

    public Optional<Long> fixedResalePriceFor(String addOn) {
        return Optional.ofNullable(fixedResalePricesMicros.get(addOn));
    }

    /** The terms of one settings record as published on {@code metering.rebilling-settings}. */
    public static RebillingTerms from(RebillingSettings settings) {
        return new RebillingTerms(settings.getRebillingEnabled(), settings.getMarkupAllowed(), Map.of(
                UsageType.VOICE, settings.getVoiceMultiplierBasisPoints(),
                UsageType.VOICE_AI, settings.getVoiceAiMultiplierBasisPoints(),
                UsageType.SMS, settings.getSmsMultiplierBasisPoints(),
                UsageType.MMS, settings.getMmsMultiplierBasisPoints(),
                UsageType.EMAIL, settings.getEmailMultiplierBasisPoints(),
                UsageType.PHONE_NUMBER, settings.getPhoneNumberMultiplierBasisPoints()),
                settings.getFixedResalePricesMicros());
    }
}
