package io.rebill.cli.ops;

import io.rebill.cli.KafkaOptions;
import io.rebill.cli.UserException;
import io.rebill.money.Micros;
import io.rebill.rebilling.Markup;
import io.rebill.rebilling.RebillingException;
import io.rebill.rebilling.RebillingPolicy;
import io.rebill.rebilling.RebillingSettingsKey;
import io.rebill.rebilling.RebillingTerms;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.rating.RebillingSettings;
import io.rebill.wallet.book.WorkspaceBook;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rebill rebilling set}: how a workspace re-bills its sub-accounts (its defaults), or one
 * sub-account's own terms, as a {@code RebillingSettings} record on the compacted
 * {@code metering.rebilling-settings}. Checked with the {@code rebilling} module's own rules
 * before it is sent, so rating never meets settings it must reject.
 */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Set a workspace's re-billing defaults or one sub-account's re-billing.",
                "Without --sub-account the workspace's defaults, for every sub-account without settings of its "
                        + "own; written to metering.rebilling-settings keyed workspace or workspace/sub-account.",
                "The record is complete: whatever is not given takes its default (re-billed, markup allowed, "
                        + "every multiplier 1.05x, no fixed phone-number price) and replaces what was set before.",
                "Multipliers are decimals such as 1.25 (at most 4 decimals), within 1.00 to 10.00. A workspace "
                        + "that may not mark up (--markup-allowed false) pins every multiplier to 1.05x."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the settings were written to metering.rebilling-settings",
                "2:an argument is invalid (with the re-billing rule it breaks), or Kafka or the schema registry "
                        + "cannot be reached"})
public final class RebillingSetCommand implements Callable<Integer> {

    private final RebillingSettingsSink.Opener sinks;
    private final Clock clock;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--workspace", required = true, paramLabel = "ID", description = "The workspace (agency).")
    String workspace;

    @Option(names = "--sub-account", paramLabel = "ID",
            description = "The sub-account (client); without it the workspace's defaults for every sub-account "
                    + "without settings of its own.")
    String subAccount;

    @Option(names = "--enabled", description = "Re-bill the usage (the default).")
    boolean enabled;

    @Option(names = "--disabled", description = "Do not re-bill: the sub-account pays nothing.")
    boolean disabled;

    @Option(names = "--voice", paramLabel = "X", description = "Multiplier of voice calls, e.g. 1.25.")
    String voice;

    @Option(names = "--voice-ai", paramLabel = "X", description = "Multiplier of voice-AI calls.")
    String voiceAi;

    @Option(names = "--sms", paramLabel = "X", description = "Multiplier of SMS.")
    String sms;

    @Option(names = "--mms", paramLabel = "X", description = "Multiplier of MMS.")
    String mms;

    @Option(names = "--email", paramLabel = "X", description = "Multiplier of e-mail.")
    String email;

    @Option(names = "--phone-number", paramLabel = "X", description = "Multiplier of phone-number rental.")
    String phoneNumber;

    @Option(names = "--phone-number-price", paramLabel = "DECIMAL",
            description = "A fixed monthly resale price of a phone number, used instead of its multiplier.")
    String phoneNumberPrice;

    @Option(names = "--markup-allowed", arity = "1", paramLabel = "true|false", defaultValue = "true",
            description = "False for a workspace tier that may not mark up: every multiplier is then 1.05x "
                    + "(default: ${DEFAULT-VALUE}).")
    boolean markupAllowed;

    @Spec
    CommandSpec spec;

    public RebillingSetCommand() {
        this(RebillingSettingsSink::kafka, Clock.systemUTC());
    }

    /** With another sink and clock, for tests that check the command without a broker. */
    public RebillingSetCommand(RebillingSettingsSink.Opener sinks, Clock clock) {
        this.sinks = sinks;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        RebillingSettings settings = build();
        String key = RebillingSettingsKey.of(settings);
        try (RebillingSettingsSink sink = sinks.open(kafka)) {
            sink.sendAndFlush(key, settings);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("set re-billing of " + key + ": " + describe(settings));
        if (settings.getRebillingEnabled() && !settings.getMarkupAllowed()) {
            out.println("markup is not allowed: every multiplier is charged at "
                    + multiplier(Markup.FIXED_TIER_BASIS_POINTS) + "x"
                    + (settings.getFixedResalePricesMicros().isEmpty() ? "" : " and the fixed price is not used"));
        }
        out.flush();
        return 0;
    }

    /** The settings record; every argument is checked before anything is sent. */
    RebillingSettings build() {
        Ids.require("--workspace", workspace);
        if (subAccount != null) {
            Ids.require("--sub-account", subAccount);
        }
        if (enabled && disabled) {
            throw new UserException("give --enabled or --disabled, not both");
        }
        RebillingSettings.Builder builder = RebillingSettings.newBuilder()
                .setWorkspaceId(workspace)
                .setSubAccountId(subAccount)
                .setRebillingEnabled(!disabled)
                .setMarkupAllowed(markupAllowed)
                .setUpdatedAt(clock.instant());
        if (voice != null) {
            builder.setVoiceMultiplierBasisPoints(basisPoints("--voice", voice));
        }
        if (voiceAi != null) {
            builder.setVoiceAiMultiplierBasisPoints(basisPoints("--voice-ai", voiceAi));
        }
        if (sms != null) {
            builder.setSmsMultiplierBasisPoints(basisPoints("--sms", sms));
        }
        if (mms != null) {
            builder.setMmsMultiplierBasisPoints(basisPoints("--mms", mms));
        }
        if (email != null) {
            builder.setEmailMultiplierBasisPoints(basisPoints("--email", email));
        }
        if (phoneNumber != null) {
            builder.setPhoneNumberMultiplierBasisPoints(basisPoints("--phone-number", phoneNumber));
        }
        if (phoneNumberPrice != null) {
            long micros;
            try {
                micros = Micros.parse(phoneNumberPrice);
            } catch (IllegalArgumentException e) {
                throw new UserException("--phone-number-price: " + e.getMessage());
            }
            builder.setFixedResalePricesMicros(Map.of(WorkspaceBook.PHONE_NUMBER_ADD_ON, micros));
        }
        RebillingSettings settings = builder.build();
        check(settings, phoneNumberPrice);
        return settings;
    }

    /**
     * The whole record through {@link RebillingPolicy}, as rating will apply it, re-billed and with
     * markup allowed so every multiplier and price is looked at even when these settings would
     * not use them yet.
     */
    private static void check(RebillingSettings settings, String priceText) {
        RebillingTerms asSet = RebillingTerms.from(settings);
        RebillingTerms everything = new RebillingTerms(true, true, asSet.multiplierBasisPoints(),
                asSet.fixedResalePricesMicros());
        String workspaceKey = RebillingSettingsKey.forWorkspace(settings.getWorkspaceId());
        String subAccount = settings.getSubAccountId() == null ? "any-sub-account" : settings.getSubAccountId();
        String subAccountKey = RebillingSettingsKey.forSubAccount(settings.getWorkspaceId(), subAccount);
        RebillingPolicy policy = new RebillingPolicy(key -> key.equals(workspaceKey) || key.equals(subAccountKey)
                ? Optional.of(everything) : Optional.empty());
        for (UsageType type : asSet.multiplierBasisPoints().keySet()) {
            try {
                policy.price(settings.getWorkspaceId(), subAccount, type, 0);
            } catch (RebillingException e) {
                throw new UserException("the " + type + " multiplier: " + e.getMessage());
            }
        }
        for (String addOn : asSet.fixedResalePricesMicros().keySet()) {
            try {
                policy.priceAddOn(settings.getWorkspaceId(), subAccount, UsageType.PHONE_NUMBER, addOn, 0);
            } catch (RebillingException e) {
                throw new UserException("--phone-number-price " + priceText.trim() + ": " + e.getMessage());
            }
        }
    }

    /** A decimal multiplier in basis points, checked against the range agencies may set ({@link Markup}). */
    private static int basisPoints(String option, String text) {
        BigDecimal points;
        try {
            points = new BigDecimal(text.trim()).movePointRight(4);
        } catch (NumberFormatException e) {
            throw new UserException(option + " '" + text + "' is not a multiplier such as 1.25");
        }
        int basisPoints;
        try {
            basisPoints = points.stripTrailingZeros().intValueExact();
        } catch (ArithmeticException e) {
            throw new UserException(option + " " + text.trim() + ": a multiplier has at most 4 decimals and is at most "
                    + multiplier(Markup.MAX_BASIS_POINTS));
        }
        try {
            Markup.priceMicros(0, basisPoints);
        } catch (RebillingException e) {
            throw new UserException(option + " " + text.trim() + ": " + e.getMessage());
        }
        return basisPoints;
    }

    private static String describe(RebillingSettings settings) {
        if (!settings.getRebillingEnabled()) {
            return "not re-billed";
        }
        StringBuilder text = new StringBuilder("re-billed");
        text.append(settings.getMarkupAllowed() ? ", markup allowed" : ", markup not allowed");
        Map<String, Integer> multipliers = new LinkedHashMap<>();
        multipliers.put("voice", settings.getVoiceMultiplierBasisPoints());
        multipliers.put("voice AI", settings.getVoiceAiMultiplierBasisPoints());
        multipliers.put("SMS", settings.getSmsMultiplierBasisPoints());
        multipliers.put("MMS", settings.getMmsMultiplierBasisPoints());
        multipliers.put("email", settings.getEmailMultiplierBasisPoints());
        multipliers.put("phone number", settings.getPhoneNumberMultiplierBasisPoints());
        text.append("; ").append(multipliers.entrySet().stream()
                .map(e -> e.getKey() + " " + multiplier(e.getValue()) + "x").collect(Collectors.joining(", ")));
        Long price = settings.getFixedResalePricesMicros().get(WorkspaceBook.PHONE_NUMBER_ADD_ON);
        if (price != null) {
            text.append("; phone number at a fixed ").append(Micros.toDecimal(price).stripTrailingZeros().toPlainString());
        }
        return text.toString();
    }

    private static String multiplier(int basisPoints) {
        String plain = BigDecimal.valueOf(basisPoints, 4).stripTrailingZeros().toPlainString();
        // 1x reads as 1.00x, 2.5x as 2.50x: two decimals at least, like the demo's report.
        return new BigDecimal(plain).setScale(Math.max(2, new BigDecimal(plain).scale())).toPlainString();
    }
}
