package io.rebill.cli.csv;

import io.rebill.schemas.common.Direction;
import io.rebill.schemas.usage.CallDetailRecord;
import io.rebill.schemas.usage.CallDisposition;
import io.rebill.schemas.usage.CallService;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads call detail records from a carrier's CSV export (header row required, columns in any
 * order) into the same Avro records carriers publish. A bad line is reported with its number and
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

    public static Result read(Reader input) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true).setTrim(true).get();
        List<CallDetailRecord> records = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        try (CSVParser parser = CSVParser.builder().setReader(input).setFormat(format).get()) {
            List<String> missing = COLUMNS.stream().filter(c -> !parser.getHeaderMap().containsKey(c)).toList();
            if (!missing.isEmpty()) {
                errors.add(new LineError(1, "missing columns " + missing));
                return new Result(records, errors);
            }
            for (CSVRecord row : parser) {
                try {
                    records.add(toRecord(row));
                } catch (IllegalArgumentException e) {
                    errors.add(new LineError(row.getRecordNumber() + 1, e.getMessage()));
                }
            }
        }
        return new Result(records, errors);
    }

    private static CallDetailRecord toRecord(CSVRecord row) {
        if (!row.isConsistent()) {
            throw new IllegalArgumentException("expected " + COLUMNS.size() + " fields, found " + row.size());
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
            List<String> allowed = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .filter(n -> !n.equals("UNKNOWN")).toList();
            throw new IllegalArgumentException(column + " '" + value + "' is not one of " + allowed);
        }
    }
}
