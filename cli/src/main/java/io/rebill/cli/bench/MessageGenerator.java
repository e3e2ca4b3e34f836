package io.rebill.cli.bench;

import io.rebill.cli.demo.CdrGenerator;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.usage.MessageChannel;
import io.rebill.schemas.usage.MessageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded SMS events of the demo's sub-accounts, weighted like their calls: mostly outbound, mostly
 * to US/Canada numbers with some UK mobiles, GSM-7 bodies of one to three segments and some UCS-2
 * (emoji, Cyrillic) ones.
 */
final class MessageGenerator {

    private static final List<String> AREA_CODES = List.of("212", "415", "312", "617", "202", "305", "416", "604");
    private static final List<String> GSM_BODIES = List.of(
            "Your appointment is confirmed for tomorrow at 10:30. Reply C to cancel.",
            "Reminder: your class starts in 1 hour.",
            "Thanks for calling! Here is the link to book online: https://example.org/book and our opening hours "
                    + "are Monday to Friday 9am to 6pm, Saturday 10am to 2pm. We look forward to seeing you soon.",
            "OK",
            "Your order #4821 is ready for pickup.");
    private static final List<String> UCS2_BODIES = List.of(
            "See you soon \uD83D\uDE00",
            "\u0416\u0434\u0435\u043c \u0432\u0430\u0441 \u0437\u0430\u0432\u0442\u0440\u0430 \u0432 10:00",
            "Happy birthday \uD83C\uDF82\uD83C\uDF89 from all of us at the salon!");

    private final SplittableRandom random;
    private final List<CdrGenerator.Caller> callers;
    private final int totalWeight;
    private final Instant periodStart;
    private final long periodSeconds;

    MessageGenerator(long seed, List<CdrGenerator.Caller> callers, Instant periodStart, Duration period) {
        this.random = new SplittableRandom(seed);
        this.callers = List.copyOf(callers);
        this.totalWeight = callers.stream().mapToInt(CdrGenerator.Caller::weight).sum();
        this.periodStart = periodStart;
        this.periodSeconds = Math.max(1, period.getSeconds());
    }

    MessageEvent next(String eventId) {
        CdrGenerator.Caller caller = pick();
        Direction direction = random.nextInt(100) < 70 ? Direction.OUTBOUND : Direction.INBOUND;
        String own = "+1415767" + String.format("%04d", 100 + callers.indexOf(caller));
        String remote = direction == Direction.OUTBOUND && random.nextInt(100) < 8
                ? "+447" + (4 + random.nextInt(6)) + digits(8)
                : "+1" + AREA_CODES.get(random.nextInt(AREA_CODES.size())) + (2 + random.nextInt(8)) + digits(6);
        String body = random.nextInt(100) < 85 ? GSM_BODIES.get(random.nextInt(GSM_BODIES.size()))
                : UCS2_BODIES.get(random.nextInt(UCS2_BODIES.size()));
        return MessageEvent.newBuilder().setEventId(eventId).setWorkspaceId(caller.workspaceId())
                .setSubAccountId(caller.subAccountId()).setChannel(MessageChannel.SMS).setDirection(direction)
                .setFromAddress(direction == Direction.OUTBOUND ? own : remote)
                .setToAddress(direction == Direction.OUTBOUND ? remote : own)
                .setBody(body).setTimestamp(periodStart.plusSeconds(random.nextLong(periodSeconds))).build();
    }

    private CdrGenerator.Caller pick() {
        int roll = random.nextInt(totalWeight);
        for (CdrGenerator.Caller caller : callers) {
            roll -= caller.weight();
            if (roll < 0) {
                return caller;
            }
        }
        throw new IllegalStateException("weights do not add up");
    }

    private String digits(int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append(random.nextInt(10));
        }
        return out.toString();
    }
}
