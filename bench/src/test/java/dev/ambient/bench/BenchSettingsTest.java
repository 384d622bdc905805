package dev.ambient.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 1, 2, 3, 4, 5);

    private static BenchSettings.Parsed parse(String... args) {
        return BenchSettings.parse(args, Path.of("/repo/bench/target"), NOW);
    }

    @Test
    void defaultsAreTheFullRun() {
        BenchSettings s = parse().settings().orElseThrow();
        assertEquals(1000, s.rate());
        assertEquals(16, s.connections());
        assertEquals(Duration.ofSeconds(20), s.duration());
        assertEquals(Duration.ofSeconds(5), s.warmup());
        assertEquals(3, s.rounds());
        assertEquals(1L << 30, s.bulkBytes());
        assertEquals(List.of(Scenario.DIRECT, Scenario.ZTUNNEL, Scenario.NGINX), s.scenarios());
        assertEquals(Path.of("/repo/bench/target/bench-20260102-030405"), s.outDir());
    }

    @Test
    void quickShortensEverythingButExplicitFlagsWin() {
        BenchSettings s = parse("--quick", "--rounds", "4").settings().orElseThrow();
        assertTrue(s.quick());
        assertEquals(4, s.rounds());
        assertEquals(Duration.ofSeconds(5), s.duration());
        assertEquals(Duration.ofSeconds(2), s.warmup());
        assertTrue(s.bulkBytes() < 1L << 30);
    }

    @Test
    void readsEveryFlag() {
        BenchSettings s = parse("--out", "/tmp/x", "--rate=500", "--connections", "8", "--duration", "30s",
                "--warmup", "1s", "--rounds", "5", "--bulk-bytes", "2g", "--scenarios", "ztunnel,DIRECT")
                .settings().orElseThrow();
        assertEquals(Path.of("/tmp/x"), s.outDir());
        assertEquals(500, s.rate());
        assertEquals(8, s.connections());
        assertEquals(Duration.ofSeconds(30), s.duration());
        assertEquals(Duration.ofSeconds(1), s.warmup());
        assertEquals(5, s.rounds());
        assertEquals(2L << 30, s.bulkBytes());
        assertEquals(List.of(Scenario.ZTUNNEL, Scenario.DIRECT), s.scenarios());
    }

    @Test
    void reportsEveryMistakeAtOnce() {
        BenchSettings.Parsed p = parse("--rate", "fast", "--duration", "soon", "--bulk-bytes", "lots",
                "--scenarios", "direct,envoy", "--bogus");
        assertTrue(p.settings().isEmpty());
        List<String> errors = p.errors();
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("--rate")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("--duration")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("--bulk-bytes")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("envoy")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("--bogus")), errors.toString());
    }

    @Test
    void captureMeasuresItsOwnScenariosAndRefusesLoopbackOnlyFlags() {
        BenchSettings s = parse("--capture", "--quick").settings().orElseThrow();
        assertTrue(s.capture());
        assertEquals(Scenario.CAPTURE, s.scenarios());
        assertEquals(2, s.rounds());
        List<String> errors = parse("--capture", "--scenarios", "direct", "--bulk-bytes", "1g").errors();
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("--scenarios")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("--bulk-bytes")), errors.toString());
        List<String> loopback = parse("--scenarios", "direct,capture-hbone").errors();
        assertTrue(loopback.stream().anyMatch(e -> e.contains("measured by --capture")), loopback.toString());
        assertTrue(!parse().settings().orElseThrow().capture());
    }

    @Test
    void helpIsNotAnError() {
        BenchSettings.Parsed p = parse("--help");
        assertTrue(p.help());
        assertTrue(p.errors().isEmpty());
    }
}
