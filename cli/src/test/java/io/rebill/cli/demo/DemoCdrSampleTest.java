package io.rebill.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoCdrSampleTest {

    @Test
    void shouldShipTheSeededSampleOfTenThousandCdrs() throws IOException {
        String shipped;
        try (InputStream in = DemoCdrSampleTest.class.getResourceAsStream(DemoData.CDR_RESOURCE)) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(shipped).isEqualTo(DemoCdrGenerator.generate());
        assertThat(DemoRunner.sampleCdrs()).hasSize(DemoCdrGenerator.COUNT);
    }
}
