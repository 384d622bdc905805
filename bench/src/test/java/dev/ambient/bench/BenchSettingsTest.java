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
    void defaultIsThePodBenchmarkOfEveryMode() {
        BenchSettings s = parse().settings().orElseThrow();
        assertTrue(s.pods());
        assertEquals(Scenario.PODS, s.scenarios());
        assertEquals(10, s.pairs());
        assertEquals(List.of(1, 10, 50), s.scalingPods());
        BenchSettings quick = parse("--quick").settings().orElseThrow();
        assertEquals(2, quick.pairs());
        assertEquals(List.of(1, 3), quick.scalingPods());
        assertEquals(Duration.ofSeconds(3), quick.duration());
        BenchSettings some = parse("--scenarios", "sidecar,ambient", "--pods", "50", "--scaling", "2,5")
                .settings().orElseThrow();
        assertEquals(List.of(Scenario.POD_DIRECT, Scenario.AMBIENT, Scenario.SIDECAR), some.scenarios());
        assertEquals(50, some.pairs());
        assertEquals(List.of(2, 5), some.scalingPods());
    }

    @Test
    void podFlagsAreChecked() {
        List<String> errors = parse("--scaling", "10,1", "--pods", "0", "--bulk-bytes", "1g").errors();
        assertTrue(errors.stream().anyMatch(e -> e.contains("ascending")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("--pods")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("--bulk-bytes is for --loopback")), errors.toString());
        assertTrue(parse("--scaling", "5").errors().stream().anyMatch(e -> e.contains("at least two")));
        assertTrue(parse("--loopback", "--pods", "3").errors().stream().anyMatch(e -> e.startsWith("--pods")));
        assertTrue(parse("--loopback", "--capture").errors().stream().anyMatch(e -> e.contains("choose one")));
    }

    @Test
    void loopbackDefaultsAreTheFullRun() {
        BenchSettings s = parse("--loopback").settings().orElseThrow();
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
        BenchSettings s = parse("--loopback", "--quick", "--rounds", "4").settings().orElseThrow();
        assertTrue(s.quick());
        assertEquals(4, s.rounds());
        assertEquals(Duration.ofSeconds(5), s.duration());
        assertEquals(Duration.ofSeconds(2), s.warmup());
        assertTrue(s.bulkBytes() < 1L << 30);
    }

    @Test
    void readsEveryFlag() {
        BenchSettings s = parse("--loopback", "--out", "/tmp/x", "--rate=500", "--connections", "8", "--duration", "30s",
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
        BenchSettings.Parsed p = parse("--loopback", "--rate", "fast", "--duration", "soon", "--bulk-bytes", "lots",
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
        List<String> loopback = parse("--loopback", "--scenarios", "direct,capture-hbone").errors();
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
