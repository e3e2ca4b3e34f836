package io.rebill.benchmarks;

import io.rebill.rebilling.RebillingSettingsKey;
import io.rebill.rebilling.RebillingSettingsLookup;
import io.rebill.rebilling.RebillingTerms;
import static io.rebill.schemas.common.Direction.INBOUND;
import static io.rebill.schemas.common.Direction.OUTBOUND;
import static io.rebill.schemas.common.UsageType.SMS;
import static io.rebill.schemas.common.UsageType.VOICE;
import static io.rebill.schemas.common.UsageType.VOICE_AI;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.rebill.metering.rating.CallFacts;
import io.rebill.metering.rating.MessageFacts;
import io.rebill.metering.rating.Rate;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import io.rebill.schemas.usage.MessageChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reference data and usage shaped like a month of production traffic, the inputs of the rating
 * benchmarks and of their sanity test. Fixed seeds: every run rates the same records.
 *
 * <ul>
 *   <li>Rate card: a USD voice-outbound entry for every country libphonenumber knows (NANP
 *       countries other than the US and Canada by area code, such as {@code 1876}), dearer mobile
 *       ranges for some countries ({@code 447}, {@code 336}, ...), a mid-month price change on a few
 *       prefixes, voice inbound (toll-free included), voice AI, and SMS for NANP and a few countries.</li>
 *   <li>Settings: agencies that mark up, one whose tier may not, sub-accounts with their own terms,
 *       sub-accounts not re-billed, and sub-accounts that inherit their workspace's defaults.</li>
 *   <li>Usage: {@value #INPUTS} calls and messages to varied destinations, durations, times and
 *       sub-accounts, every one of them ratable, so the benchmarks time charges, never rejections.</li>
 * </ul>
 */
final class RatingFixtures {

    /** How many records a benchmark cycles through; a power of two, so the next index is a mask. */
    static final int INPUTS = 1024;

    static final Instant CARD_START = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant MONTH_START = Instant.parse("2026-03-01T00:00:00Z");
    /** Calls and messages from here on are rated on the second version of the repriced entries. */
    static final Instant PRICE_CHANGE = Instant.parse("2026-03-16T00:00:00Z");
    private static final long MONTH_SECONDS = Duration.ofDays(31).toSeconds();

    /** A sub-account, and the workspace it belongs to. */
    record Tenant(String workspaceId, String subAccountId) {
    }

    private static final PhoneNumberUtil PHONE_NUMBERS = PhoneNumberUtil.getInstance();
    private static final String CURRENCY = "USD";

    /** Countries whose mobile range has its own, dearer entry, as on most carriers' cards. */
    private static final List<String> MOBILE_PRICED_REGIONS = List.of("GB", "IE", "FR", "DE", "ES", "IT", "NL", "PL",
            "AU", "IN", "ZA", "NG", "PH", "JP", "AR", "CO", "SE", "CH");
    /** Voice-outbound prices of the busiest destinations, per minute; the long tail gets seeded random prices. */
    private static final Map<String, Long> KNOWN_VOICE_PRICES = Map.of("1", 13_000L, "1876", 180_000L, "44", 15_000L,
            "447", 35_000L, "52", 21_000L, "33", 18_000L, "49", 19_000L, "91", 24_000L);
    /** Voice-outbound prefixes whose price changes at {@link #PRICE_CHANGE}. */
    private static final List<String> REPRICED_PREFIXES = List.of("1", "1876", "44", "447", "52", "91");
    /** Billing increments in use: per minute, 30/6, 6/6, per second. */
    private static final int[][] INCREMENTS = {{60, 60}, {30, 6}, {6, 6}, {1, 1}};

    private static final String[] US_AREA_CODES = {"212", "213", "305", "312", "404", "415", "512", "617", "702",
            "713", "808", "917"};
    private static final String[] CA_AREA_CODES = {"416", "514", "604"};
    private static final String[] CARRIERS = {"twilio-us", "bandwidth", "telnyx", "vonage-uk"};

    private static final int GENERATED_AGENCIES = 6;
    private static final int CLIENTS_PER_AGENCY = 8;

    private RatingFixtures() {
    }

    static TreeMapRateCard rateCard() {
        Random random = new Random(11);
        TreeMapRateCard card = new TreeMapRateCard();
        for (String prefix : voiceOutboundPrefixes()) {
            long perMinute = KNOWN_VOICE_PRICES.getOrDefault(prefix, 5_000L + random.nextInt(395_000));
            int[] increments = INCREMENTS[random.nextInt(INCREMENTS.length)];
            int minimumSeconds = random.nextInt(5) == 0 ? 30 : 0;
            long connectFee = random.nextInt(4) == 0 ? 10_000 : 0;
            String rateId = "voice-out-" + prefix;
            card.put(VOICE, OUTBOUND, prefix, CARD_START,
                    voice(rateId, 1, perMinute, increments, minimumSeconds, connectFee));
            if (REPRICED_PREFIXES.contains(prefix)) {
                card.put(VOICE, OUTBOUND, prefix, PRICE_CHANGE,
                        voice(rateId, 2, perMinute * 11 / 10, increments, minimumSeconds, connectFee));
            }
        }

        card.put(VOICE, INBOUND, "", CARD_START, voice("voice-in-any", 1, 30_000, INCREMENTS[0], 0, 0));
        card.put(VOICE, INBOUND, "1", CARD_START, voice("voice-in-1", 1, 8_500, INCREMENTS[2], 0, 0));
        // Toll-free: the platform pays for the caller.
        card.put(VOICE, INBOUND, "1800", CARD_START, voice("voice-in-1800", 1, 22_000, INCREMENTS[2], 0, 0));
        card.put(VOICE, INBOUND, "1888", CARD_START, voice("voice-in-1888", 1, 22_000, INCREMENTS[2], 0, 0));
        card.put(VOICE, INBOUND, "44", CARD_START, voice("voice-in-44", 1, 10_000, INCREMENTS[0], 0, 0));

        for (Direction direction : List.of(INBOUND, OUTBOUND)) {
            String id = "voice-ai-" + direction.name().toLowerCase();
            card.put(VOICE_AI, direction, "", CARD_START, voice(id + "-any", 1, 120_000, INCREMENTS[3], 0, 0));
            card.put(VOICE_AI, direction, "1", CARD_START, voice(id + "-1", 1, 70_000, INCREMENTS[3], 0, 0));
            card.put(VOICE_AI, direction, "1", PRICE_CHANGE, voice(id + "-1", 2, 75_000, INCREMENTS[3], 0, 0));
            card.put(VOICE_AI, direction, "44", CARD_START, voice(id + "-44", 1, 90_000, INCREMENTS[3], 0, 0));
        }

        card.put(SMS, OUTBOUND, "1", CARD_START, Rate.perUnit("sms-out-1", 1, CURRENCY, 7_900));
        card.put(SMS, OUTBOUND, "1", PRICE_CHANGE, Rate.perUnit("sms-out-1", 2, CURRENCY, 8_300));
        card.put(SMS, OUTBOUND, "1876", CARD_START, Rate.perUnit("sms-out-1876", 1, CURRENCY, 45_000));
        card.put(SMS, OUTBOUND, "44", CARD_START, Rate.perUnit("sms-out-44", 1, CURRENCY, 40_000));
        card.put(SMS, OUTBOUND, "52", CARD_START, Rate.perUnit("sms-out-52", 1, CURRENCY, 60_000));
        card.put(SMS, OUTBOUND, "33", CARD_START, Rate.perUnit("sms-out-33", 1, CURRENCY, 80_000));
        card.put(SMS, OUTBOUND, "49", CARD_START, Rate.perUnit("sms-out-49", 1, CURRENCY, 90_000));
        card.put(SMS, INBOUND, "1", CARD_START, Rate.perUnit("sms-in-1", 1, CURRENCY, 7_900));
        card.put(SMS, INBOUND, "44", CARD_START, Rate.perUnit("sms-in-44", 1, CURRENCY, 10_000));
        return card;
    }

    /**
     * One prefix per country (NANP countries other than the US and Canada by area code), from
     * libphonenumber's own metadata, plus the mobile ranges of {@link #MOBILE_PRICED_REGIONS}.
     */
    static SortedSet<String> voiceOutboundPrefixes() {
        SortedSet<String> prefixes = new TreeSet<>();
        for (String region : PHONE_NUMBERS.getSupportedRegions()) {
            int countryCode = PHONE_NUMBERS.getCountryCodeForRegion(region);
            boolean nanpByAreaCode = countryCode == 1 && !region.equals("US") && !region.equals("CA");
            prefixes.add(nanpByAreaCode
                    ? "1" + nationalNumber(region, PhoneNumberType.FIXED_LINE).substring(0, 3)
                    : String.valueOf(countryCode));
        }
        for (String region : MOBILE_PRICED_REGIONS) {
            prefixes.add(PHONE_NUMBERS.getCountryCodeForRegion(region)
                    + nationalNumber(region, PhoneNumberType.MOBILE).substring(0, 1));
        }
        return prefixes;
    }

    /** Workspace defaults and sub-account settings, under their {@link RebillingSettingsKey} keys. */
    static Map<String, RebillingTerms> rebillingSettings() {
        Map<String, RebillingTerms> settings = new HashMap<>();
        settings.put(RebillingSettingsKey.forWorkspace("acme-agency"), rebilled(10_500, 10_500, 10_500));
        settings.put(RebillingSettingsKey.forSubAccount("acme-agency", "acme-law"), rebilled(25_000, 30_000, 20_000));
        settings.put(RebillingSettingsKey.forSubAccount("acme-agency", "acme-gym"), notRebilled());
        // A tier that may not mark up: every sub-account pays 1.05x, whatever its own settings say.
        settings.put(RebillingSettingsKey.forWorkspace("nova-media"), new RebillingTerms(true, false, Map.of()));
        settings.put(RebillingSettingsKey.forSubAccount("nova-media", "nova-radio"), rebilled(20_000, 20_000, 20_000));
        for (int agency = 1; agency <= GENERATED_AGENCIES; agency++) {
            String workspaceId = agencyId(agency);
            settings.put(RebillingSettingsKey.forWorkspace(workspaceId),
                    rebilled(10_000 + 500 * agency, 12_000 + 500 * agency, 15_000));
            for (int client = 1; client <= CLIENTS_PER_AGENCY; client++) {
                String key = RebillingSettingsKey.forSubAccount(workspaceId, clientId(client));
                switch (client % 4) {
                    case 1 -> settings.put(key, rebilled(15_000 + 1_000 * client, 20_000, 25_000 + 500 * agency));
                    case 2 -> settings.put(key, notRebilled());
                    default -> {
                        // No settings of its own: the workspace defaults apply.
                    }
                }
            }
        }
        return settings;
    }

    static RebillingSettingsLookup lookup(Map<String, RebillingTerms> settings) {
        return key -> Optional.ofNullable(settings.get(key));
    }

    /** Every sub-account the usage is spread over. */
    static List<Tenant> tenants() {
        List<Tenant> tenants = new ArrayList<>(List.of(new Tenant("acme-agency", "acme-dental"),
                new Tenant("acme-agency", "acme-law"), new Tenant("acme-agency", "acme-gym"),
                new Tenant("nova-media", "nova-radio"), new Tenant("nova-media", "nova-print")));
        for (int agency = 1; agency <= GENERATED_AGENCIES; agency++) {
            for (int client = 1; client <= CLIENTS_PER_AGENCY; client++) {
                tenants.add(new Tenant(agencyId(agency), clientId(client)));
            }
        }
        return List.copyOf(tenants);
    }

    /**
     * Answered calls with billable seconds: 85% voice, 15% voice AI; 80% outbound. Outbound goes
     * mostly to the US and Canada, then Jamaica, UK landlines and mobiles, Mexico City, and every
     * other country; inbound reaches the platform's US, toll-free and London numbers. Durations
     * are mostly under five minutes, some up to an hour; start times spread over March, across the
     * mid-month price change.
     */
    static CallFacts[] calls() {
        Random random = new Random(7);
        List<Tenant> tenants = tenants();
        List<String> regions = List.copyOf(new TreeSet<>(PHONE_NUMBERS.getSupportedRegions()));
        CallFacts[] calls = new CallFacts[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            Tenant tenant = tenants.get(random.nextInt(tenants.size()));
            CallService service = random.nextInt(100) < 15 ? CallService.VOICE_AI : CallService.VOICE;
            Direction direction = random.nextInt(100) < 20 ? INBOUND : OUTBOUND;
            String toNumber = direction == INBOUND ? platformVoiceNumber(random) : callDestination(random, regions);
            Instant start = MONTH_START.plusSeconds(random.nextLong(MONTH_SECONDS));
            int seconds = random.nextInt(100) < 80 ? 1 + random.nextInt(300) : 301 + random.nextInt(3_300);
            int version = random.nextInt(20) == 0 ? 2 : 1;
            calls[i] = new CallFacts(CARRIERS[random.nextInt(CARRIERS.length)], String.format("cdr-%06d", i), version,
                    tenant.workspaceId(), tenant.subAccountId(), service, direction, toNumber, start,
                    start, start.plusSeconds(seconds), seconds, CallDisposition.ANSWERED);
        }
        return calls;
    }

    /**
     * SMS with one body, sent and received: 80% outbound, mostly to the US and Canada, then UK
     * mobiles, Jamaica, Mexico, France and Germany; inbound to the platform's US and UK numbers.
     * The body is given, so rating counts its segments.
     */
    static MessageFacts[] messages(SmsBody body) {
        Random random = new Random(5);
        List<Tenant> tenants = tenants();
        MessageFacts[] messages = new MessageFacts[INPUTS];
        for (int i = 0; i < INPUTS; i++) {
            Tenant tenant = tenants.get(random.nextInt(tenants.size()));
            Direction direction = random.nextInt(100) < 20 ? INBOUND : OUTBOUND;
            String platformNumber = random.nextInt(100) < 85 ? nanp(random, US_AREA_CODES) : "+447" + digits(random, 9);
            String otherParty = smsCounterpart(random);
            String from = direction == OUTBOUND ? platformNumber : otherParty;
            String to = direction == OUTBOUND ? otherParty : platformNumber;
            messages[i] = new MessageFacts(String.format("sms-%06d", i), tenant.workspaceId(), tenant.subAccountId(),
                    MessageChannel.SMS, direction, from, to, body.text(), null, null,
                    MONTH_START.plusSeconds(random.nextLong(MONTH_SECONDS)));
        }
        return messages;
    }

    private static String callDestination(Random random, List<String> regions) {
        int pick = random.nextInt(100);
        if (pick < 45) {
            return nanp(random, US_AREA_CODES);
        } else if (pick < 50) {
            return nanp(random, CA_AREA_CODES);
        } else if (pick < 58) {
            return "+1876" + (2 + random.nextInt(8)) + digits(random, 6);
        } else if (pick < 64) {
            return "+4420" + digits(random, 8);
        } else if (pick < 70) {
            return "+447" + digits(random, 9);
        } else if (pick < 75) {
            return "+5255" + digits(random, 8);
        }
        return anywhere(random, regions.get(random.nextInt(regions.size())));
    }

    private static String platformVoiceNumber(Random random) {
        int pick = random.nextInt(100);
        if (pick < 70) {
            return nanp(random, US_AREA_CODES);
        } else if (pick < 80) {
            return (random.nextBoolean() ? "+1800" : "+1888") + (2 + random.nextInt(8)) + digits(random, 6);
        }
        return "+4420" + digits(random, 8);
    }

    private static String smsCounterpart(Random random) {
        int pick = random.nextInt(100);
        if (pick < 60) {
            return nanp(random, US_AREA_CODES);
        } else if (pick < 70) {
            return nanp(random, CA_AREA_CODES);
        } else if (pick < 80) {
            return "+447" + digits(random, 9);
        } else if (pick < 85) {
            return "+1876" + (2 + random.nextInt(8)) + digits(random, 6);
        } else if (pick < 90) {
            return "+5255" + digits(random, 8);
        } else if (pick < 95) {
            return "+336" + digits(random, 8);
        }
        return "+49151" + digits(random, 8);
    }

    /** A NANP number in one of the area codes. */
    private static String nanp(Random random, String[] areaCodes) {
        return "+1" + areaCodes[random.nextInt(areaCodes.length)] + (2 + random.nextInt(8)) + digits(random, 6);
    }

    /** A landline or mobile number of a region: libphonenumber's example with its last digits varied. */
    private static String anywhere(Random random, String region) {
        String national = nationalNumber(region, random.nextBoolean() ? PhoneNumberType.FIXED_LINE
                : PhoneNumberType.MOBILE);
        int varied = Math.min(3, national.length() - 1);
        return "+" + PHONE_NUMBERS.getCountryCodeForRegion(region)
                + national.substring(0, national.length() - varied) + digits(random, varied);
    }

    private static String nationalNumber(String region, PhoneNumberType type) {
        PhoneNumber example = PHONE_NUMBERS.getExampleNumberForType(region, type);
        return PHONE_NUMBERS.getNationalSignificantNumber(example != null ? example
                : PHONE_NUMBERS.getExampleNumber(region));
    }

    private static String digits(Random random, int count) {
        StringBuilder digits = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    private static Rate voice(String rateId, int version, long perMinuteMicros, int[] increments, int minimumSeconds,
                              long connectFeeMicros) {
        return new Rate(rateId, version, CURRENCY, perMinuteMicros, increments[0], increments[1], minimumSeconds,
                connectFeeMicros, 0);
    }

    private static RebillingTerms rebilled(int voice, int voiceAi, int sms) {
        return new RebillingTerms(true, true, Map.of(VOICE, voice, VOICE_AI, voiceAi, SMS, sms));
    }

    private static RebillingTerms notRebilled() {
        return new RebillingTerms(false, true, Map.<UsageType, Integer>of());
    }

    private static String agencyId(int agency) {
        return String.format("agency-%02d", agency);
    }

    private static String clientId(int client) {
        return String.format("client-%02d", client);
    }
}
