package io.rebill.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text-format scrape, for tests. */
public final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One line: a metric name, its labels, its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    public static List<Sample> samples(String scrape) {
        List<Sample> samples = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher matcher = SAMPLE.matcher(line.trim());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("Not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (matcher.group(3) != null) {
                Matcher label = LABEL.matcher(matcher.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(4))));
        }
        return samples;
    }

    /** The samples named {@code name} whose labels include all of {@code labels}. */
    public static List<Sample> samples(String scrape, String name, Map<String, String> labels) {
        return samples(scrape).stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    /** The value of the only sample named {@code name} with (at least) these labels; empty when there is none. */
    public static OptionalDouble value(String scrape, String name, Map<String, String> labels) {
        List<Sample> found = samples(scrape, name, labels);
        if (found.size() > 1) {
            throw new IllegalArgumentException(found.size() + " samples of " + name + " with " + labels + ": " + found);
        }
        return found.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(found.get(0).value());
    }

    public static OptionalDouble value(String scrape, String name) {
        return value(scrape, name, Map.of());
    }

    /** The sum over every sample named {@code name} with these labels; 0 when there is none. */
    public static double sum(String scrape, String name, Map<String, String> labels) {
        return samples(scrape, name, labels).stream().mapToDouble(Sample::value).sum();
    }
}
