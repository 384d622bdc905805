package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.Scenario;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodChartsTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @Test
    void writesTheLatencyAndMemoryCharts() throws IOException {
        List<Path> written = PodCharts.write(PodFixture.results(), dir.resolve("report"));
        assertEquals(List.of(dir.resolve("report/latency.png"), dir.resolve("report/memory.png")), written);
        for (Path png : written) {
            byte[] bytes = Files.readAllBytes(png);
            assertArrayEquals(PNG, Arrays.copyOf(bytes, PNG.length), png.toString());
            assertTrue(bytes.length > 5 * 1024, png + " is only " + bytes.length + " bytes");
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(800, image.getWidth());
            assertEquals(500, image.getHeight());
            assertEquals(0xffffffff, image.getRGB(2, 2), "white background");
        }
    }

    @Test
    void aModeWithoutLatencyStillGetsItsChart() throws IOException {
        PodResults all = PodFixture.results();
        PodResults failed = new PodResults(all.pairs(), all.scenarios(), all.rounds().stream()
                .map(r -> r.run().scenario() != Scenario.SIDECAR ? r : new PodRound(PodFixture.run(r.run().round(),
                        Scenario.SIDECAR, Double.NaN, 9, 0, Map.of(), List.of("refused")), 0.1))
                .toList(), all.memory(), all.scaling(), all.ready(), all.processes());
        List<Path> written = PodCharts.write(failed, dir);
        assertEquals(2, written.size());
        assertTrue(Files.size(written.get(0)) > 5 * 1024);
    }

    @Test
    void directAloneHasNothingToDraw() throws IOException {
        List<Path> written = PodCharts.write(PodFixture.results(List.of(Scenario.POD_DIRECT), 60, 42.45), dir);
        assertEquals(List.of(), written);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
