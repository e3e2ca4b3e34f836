package io.rebill.cli.csv;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads call detail records from a carrier's CSV export (header row required, columns in any
 * order and any case, other columns ignored) into the same Avro records carriers publish; used by
 * {@code rebill import cdrs} and the demo. A bad line is reported with its number and
 * what is wrong with it; the good lines are still returned.
 */
public final class CdrCsvReader {

    public static final List<String> COLUMNS = List.of("carrier_id", "cdr_id", "version", "workspace_id",
            "sub_account_id", "call_id", "service", "direction", "from_number", "to_number", "start_time",
            "answer_time", "end_time", "billable_seconds", "disposition");

    /** A line that could not be read. */
    public record LineError(long line, String message) {
    }

    public record Result(List<CallDetailRecord> records, List<LineError> errors) {
    }

    private CdrCsvReader() {
    }

    /**
     * Reads every line; {@link LineError#line()} is the physical line in the file (the header is
     * line 1). A header without the required columns is one error on line 1 and no records. Text
     * that is not CSV (an unclosed quote) ends the read with an error on the line where the broken
     * record starts; the records before it are returned.
     */
    public static Result read(Reader input) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setIgnoreHeaderCase(true).setTrim(true).get();
        List<CallDetailRecord> records = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        try (CSVParser parser = CSVParser.builder().setReader(skipByteOrderMark(input)).setFormat(format).get()) {
            String headerProblem = headerProblem(parser.getHeaderNames());
            if (headerProblem != null) {
                errors.add(new LineError(1, headerProblem));
                return new Result(records, errors);
            }
            int fields = parser.getHeaderNames().size();
            long lastLine = 1;
            Iterator<CSVRecord> rows = parser.iterator();
            while (true) {
                CSVRecord row;
                try {
                    if (!rows.hasNext()) {
                        break;
                    }
                    row = rows.next();
                } catch (UncheckedIOException e) {
                    if (e.getCause() instanceof CSVException malformed) {
                        errors.add(new LineError(lastLine + 1, "not valid CSV, so the rest of the file was not read: "
                                + malformed.getMessage()));
                        break;
                    }
                    throw e.getCause();
                }
                // The parser has just consumed the row, so its line count is the row's (last) line.
                lastLine = parser.getCurrentLineNumber();
                try {
                    records.add(toRecord(row, fields));
                } catch (IllegalArgumentException e) {
                    errors.add(new LineError(lastLine, e.getMessage()));
                }
            }
        }
        return new Result(records, errors);
    }

    /** Why the header cannot be read as a CDR export, or null when it can. */
    private static String headerProblem(List<String> header) {
        if (header.isEmpty() || header.stream().allMatch(String::isEmpty)) {
            return "the file is empty; the first line must be a header naming the columns " + String.join(",", COLUMNS);
        }
        Map<String, Long> counts = header.stream()
                .collect(Collectors.groupingBy(h -> h.toLowerCase(Locale.ROOT), Collectors.counting()));
        List<String> repeated = COLUMNS.stream().filter(c -> counts.getOrDefault(c, 0L) > 1).toList();
        if (!repeated.isEmpty()) {
            return "the header names " + repeated + " more than once";
        }
        List<String> missing = COLUMNS.stream().filter(c -> !counts.containsKey(c)).toList();
        if (missing.isEmpty()) {
            return null;
        }
        List<String> unknown = header.stream().filter(h -> !COLUMNS.contains(h.toLowerCase(Locale.ROOT))).toList();
        return "missing columns " + missing + (unknown.isEmpty() ? "" : ", unknown columns " + unknown)
                + "; the header must name " + String.join(",", COLUMNS);
    }

    /** Spreadsheet exports often start with a UTF-8 byte order mark, which would become part of the first column's name. */
    private static Reader skipByteOrderMark(Reader input) throws IOException {
        PushbackReader reader = new PushbackReader(input, 1);
        int first = reader.read();
        if (first != -1 && first != '\uFEFF') {
            reader.unread(first);
        }
        return reader;
    }

    private static CallDetailRecord toRecord(CSVRecord row, int fields) {
        if (row.size() != fields) {
            throw new IllegalArgumentException("expected " + fields + " fields as in the header, found " + row.size()
                    + (row.size() < fields ? " (a missing comma, or a value with a comma that is not quoted?)"
                    : " (a value with a comma that is not quoted?)"));
        }
        return CallDetailRecord.newBuilder()
                .setCarrierId(required(row, "carrier_id"))
                .setCdrId(required(row, "cdr_id"))
                .setVersion(integer(row, "version"))
                .setWorkspaceId(required(row, "workspace_id"))
                .setSubAccountId(required(row, "sub_account_id"))
                .setCallId(required(row, "call_id"))
                .setService(symbol(row, "service", CallService.class))
                .setDirection(symbol(row, "direction", Direction.class))
                .setFromNumber(required(row, "from_number"))
                .setToNumber(required(row, "to_number"))
                .setStartTime(instant(row, "start_time"))
                .setAnswerTime(row.get("answer_time").isEmpty() ? null : instant(row, "answer_time"))
                .setEndTime(instant(row, "end_time"))
                .setBillableSeconds(integer(row, "billable_seconds"))
                .setDisposition(symbol(row, "disposition", CallDisposition.class))
                .build();
    }

    private static String required(CSVRecord row, String column) {
        String value = row.get(column);
        if (value.isEmpty()) {
            throw new IllegalArgumentException(column + " is empty");
        }
        return value;
    }

    private static int integer(CSVRecord row, String column) {
        String value = required(row, column);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(column + " '" + value + "' is not a whole number");
        }
    }

    private static Instant instant(CSVRecord row, String column) {
        String value = required(row, column);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(column + " '" + value + "' is not an ISO-8601 instant such as "
                    + "2026-11-01T09:30:00Z");
        }
    }

    private static <E extends Enum<E>> E symbol(CSVRecord row, String column, Class<E> type) {
        String value = required(row, column);
        String normalised = value.toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            E symbol = Enum.valueOf(type, normalised);
            if (symbol.name().equals("UNKNOWN")) {
                throw new IllegalArgumentException();
            }
            return symbol;
        } catch (IllegalArgumentException e) {
            List<String> allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .filter(n -> !n.equals("UNKNOWN")).toList();
            throw new IllegalArgumentException(column + " '" + value + "' is not one of " + allowed);
        }
    }
}
