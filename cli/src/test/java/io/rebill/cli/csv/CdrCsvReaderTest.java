package io.rebill.cli.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.rebill.schemas.usage.CallDetailRecord;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CdrCsvReaderTest {

    private static final String HEADER = String.join(",", CdrCsvReader.COLUMNS);
    private static final String VALID = "carrier-it,c-1,1,acme-agency,acme-dental,call-1,VOICE,OUTBOUND,+14157670100,"
            + "+12124567890,2026-11-10T10:00:00Z,2026-11-10T10:00:04Z,2026-11-10T10:01:05Z,61,ANSWERED";

    private static CdrCsvReader.Result read(String text) throws Exception {
        return CdrCsvReader.read(new StringReader(text));
    }

    @Test
    void shouldReportThePhysicalLineWhenBlankLinesPrecedeABadLine() throws Exception {
        CdrCsvReader.Result result = read(HEADER + "\n" + VALID + "\n\n\n" + VALID.replace("ANSWERED", "LOST") + "\n");

        assertThat(result.records()).hasSize(1);
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(5);
            assertThat(e.message()).startsWith("disposition 'LOST' is not one of [");
        });
    }

    @Test
    void shouldNameMissingAndUnknownColumnsWhenTheHeaderHasATypo() throws Exception {
        CdrCsvReader.Result result = read(HEADER.replace("billable_seconds", "billable_secs") + "\n" + VALID + "\n");

        assertThat(result.records()).isEmpty();
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.message()).startsWith("missing columns [billable_seconds], unknown columns [billable_secs]; "
                    + "the header must name carrier_id,cdr_id,");
        });
    }

    @Test
    void shouldReadAHeaderWithAByteOrderMarkInAnyCaseWithExtraColumns() throws Exception {
        CdrCsvReader.Result result = read("\uFEFF" + HEADER.toUpperCase() + ",NOTES\n" + VALID + ",a note\n");

        assertThat(result.errors()).isEmpty();
        assertThat(result.records()).extracting(CallDetailRecord::getCarrierId).containsExactly("carrier-it");
    }

    @Test
    void shouldSayHowManyFieldsTheHeaderHasWhenALineHasFewer() throws Exception {
        CdrCsvReader.Result result = read(HEADER + "\n" + VALID.substring(0, VALID.lastIndexOf(',')) + "\n");

        assertThat(result.errors()).extracting(CdrCsvReader.LineError::message).singleElement().asString()
                .startsWith("expected 15 fields as in the header, found 14");
    }

    @Test
    void shouldStopWithAnErrorOnTheBrokenLineAndKeepEarlierRecordsWhenAQuoteIsNotClosed() throws Exception {
        CdrCsvReader.Result result = read(HEADER + "\n" + VALID + "\n\"carrier-it,c-2\n" + VALID + "\n");

        assertThat(result.records()).hasSize(1);
        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.message()).startsWith("not valid CSV, so the rest of the file was not read: ");
        });
    }

    @Test
    void shouldSayTheFileIsEmptyWhenItHasNoHeader() throws Exception {
        assertThat(read("").errors()).extracting(CdrCsvReader.LineError::message).singleElement().asString()
                .startsWith("the file is empty; the first line must be a header naming the columns carrier_id,");
    }

    @Test
    void shouldRefuseAHeaderThatNamesAColumnTwice() throws Exception {
        assertThat(read(HEADER + ",cdr_id\n").errors()).extracting(CdrCsvReader.LineError::message)
                .isEqualTo(List.of("the header names [cdr_id] more than once"));
    }
}
