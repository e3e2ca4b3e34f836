package io.rebill.benchmarks;

import io.rebill.metering.rating.CallFacts;
import io.rebill.metering.rating.CdrRating;
import io.rebill.metering.rating.DestinationNumber;
import io.rebill.metering.rating.Rate;
import io.rebill.metering.rating.RatingOutcome;
import io.rebill.schemas.common.Direction;
import io.rebill.schemas.common.UsageType;
import io.rebill.schemas.usage.CallService;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What rating one CDR costs in metering-stream's rating step ({@link CdrRating#rate}), with the rate
 * card and settings in memory, so without the global-store lookups and Avro reads around it. Two
 * parts of it are timed alone: the libphonenumber parse and the longest-prefix rate lookup.
 *
 * <p>Each invocation rates the next of {@value RatingFixtures#INPUTS} varied calls, so the figure is
 * an average over destinations, durations and sub-accounts rather than one hot path.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(1)
@State(Scope.Thread)
public class CdrRatingBenchmark {

    /** The arguments {@code CdrRating} passes to {@code RateCard.find} for one call. */
    private record RateQuery(UsageType usageType, Direction direction, String destinationDigits, Instant at) {
    }

    private CdrRating rating;
    private TreeMapRateCard rateCard;
    private CallFacts[] calls;
    private RateQuery[] queries;
    private int next;

    @Setup
    public void setUp() {
        rateCard = RatingFixtures.rateCard();
        rating = new CdrRating(rateCard, RatingFixtures.lookup(RatingFixtures.rebillingSettings()));
        calls = RatingFixtures.calls();
        queries = new RateQuery[calls.length];
        for (int i = 0; i < calls.length; i++) {
            CallFacts call = calls[i];
            queries[i] = new RateQuery(call.service() == CallService.VOICE_AI ? UsageType.VOICE_AI : UsageType.VOICE,
                    call.direction(), DestinationNumber.parse(call.toNumber()).e164Digits(), call.startTime());
        }
    }

    /** The whole decision for one CDR: checks, number parse, rate lookup, increments, cost and price. */
    @Benchmark
    public RatingOutcome rateCdr() {
        return rating.rate(calls[nextIndex()]);
    }

    /** The number part alone: libphonenumber parse, possibility check and E.164 format. */
    @Benchmark
    public DestinationNumber parseDestination() {
        return DestinationNumber.parse(calls[nextIndex()].toNumber());
    }

    /** The rate-card part alone: longest prefix first, one key range per prefix until an entry is in force. */
    @Benchmark
    public Optional<Rate> findRate() {
        RateQuery query = queries[nextIndex()];
        return rateCard.find(query.usageType(), query.direction(), query.destinationDigits(), query.at());
    }

    private int nextIndex() {
        int index = next;
        next = (index + 1) & (RatingFixtures.INPUTS - 1);
        return index;
    }
}
