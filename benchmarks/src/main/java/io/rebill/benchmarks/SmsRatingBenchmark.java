package io.rebill.benchmarks;

import io.rebill.metering.rating.MessageFacts;
import io.rebill.metering.rating.MessageRating;
import io.rebill.metering.rating.RatingOutcome;
import io.rebill.metering.rating.SmsSegments;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What rating one SMS costs in metering-stream's messaging rating step ({@link MessageRating#rate}),
 * with the rate card and settings in memory, for three body shapes; and how much of that is counting
 * the segments ({@link SmsSegments#count}) of the same body.
 *
 * <p>Each rating invocation takes the next of {@value RatingFixtures#INPUTS} messages that share the
 * body but vary in direction, numbers, time and sub-account.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SmsRatingBenchmark {

    @Param({"GSM7_SHORT", "GSM7_TWO_SEGMENTS", "UCS2_EMOJI"})
    public SmsBody body;

    private MessageRating rating;
    private MessageFacts[] messages;
    private String text;
    private int next;

    @Setup
    public void setUp() {
        rating = new MessageRating(RatingFixtures.rateCard(), RatingFixtures.lookup(RatingFixtures.rebillingSettings()));
        messages = RatingFixtures.messages(body);
        text = body.text();
    }

    /** The whole decision for one SMS: checks, segment count, number parse, rate lookup, cost and price. */
    @Benchmark
    public RatingOutcome rateSms() {
        MessageFacts message = messages[next];
        next = (next + 1) & (RatingFixtures.INPUTS - 1);
        return rating.rate(message);
    }

    /** Segment counting alone, on the same body. */
    @Benchmark
    public SmsSegments.SegmentCount countSegments() {
        return SmsSegments.count(text);
    }
}
