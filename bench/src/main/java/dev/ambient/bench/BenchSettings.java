package dev.ambient.bench;

import dev.ambient.ztunnel.config.Flags;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What one benchmark run does, fixed before it starts.
 *
 * @param quick whether the short defaults were asked for
 * @param mode which benchmark: the pod modes side by side (default), the loopback proxy pairs, or capture
 * @param outDir where report.json, report.md and the proxies' logs go
 * @param rate requests per second offered in total, whatever the responses do (open loop)
 * @param connections keep-alive connections the requests are spread over
 * @param warmup load per run that is sent but not recorded (JIT, pools, TCP windows)
 * @param duration recorded load per run
 * @param rounds how often every scenario is measured; results are medians over rounds
 * @param bulkBytes bytes streamed over one connection per bulk transfer
 * @param scenarios the scenarios asked for, in command-line order
 * @param pairs client and server pods per pod scenario (N client pods call N server pods)
 * @param scalingPods pod counts per node at which the pod modes' memory is measured, ascending
 * @param arguments the command line as given, for the report
 */
public record BenchSettings(
        boolean quick,
        Mode mode,
        Path outDir,
        int rate,
        int connections,
        Duration warmup,
        Duration duration,
        int rounds,
        long bulkBytes,
        List<Scenario> scenarios,
        int pairs,
        List<Integer> scalingPods,
        List<String> arguments) {

    /** Which benchmark runs. */
    public enum Mode { PODS, LOOPBACK, CAPTURE }

    public static final String USAGE = """
            usage: mesh bench [--quick] [--loopback | --capture] [--out DIR] [--pods N] [--scaling 1,10,50]
                              [--rate N] [--connections N] [--duration 20s] [--warmup 5s] [--rounds 3]
                              [--bulk-bytes 1g] [--scenarios LIST]
              (default)        N client pods call N server pods on another node of a local cluster (as root),
                               in each mode side by side: direct, ambient, ambient-waypoint, sidecar,
                               haproxy-sidecar, nginx-sidecar, nginx-l7-sidecar; then node memory at each
                               --scaling pod count and pod-ready times (over 15 min; with --quick about
                               3 min, which skips the scaling of ambient-waypoint and nginx-l7-sidecar)
              --quick          short run (pods: 2 pairs, scaling 1,3, 2 rounds of 1 s warm-up + 3 s;
                               loopback: 2 rounds of 2 s + 5 s, 512 MiB bulk)
              --pods N         client and server pods per scenario (default 10, quick 2)
              --scaling L      pods per node at which memory is measured (default 1,10,50; quick 1,3)
              --loopback       instead of pods, proxy pairs on loopback: direct, ztunnel, nginx, with bulk
              --capture        instead of pods, what eBPF capture costs between pods of a local cluster
                               (as root): netns-direct, netns-direct-attached, capture-passthrough,
                               capture-hbone, and the time from a label change to capture (about 7 min;
                               with --quick about 2 min)
              --out DIR        report directory (default bench/target/bench-<timestamp>)
              --rate N         requests per second, open loop (default 1000)
              --connections N  HTTP/1.1 keep-alive connections (default 16)
              --duration D     recorded time per run, e.g. 20s (default 20s, quick 5s)
              --warmup D       unrecorded time before each run (default 5s, quick 2s)
              --rounds N       rounds; scenarios are interleaved in each round (default 3, quick 2)
              --bulk-bytes S   bytes per one-connection transfer, e.g. 1g, 256m (default 1g, quick 512m)
              --scenarios L    comma-separated subset of the mode's scenarios (default all; the pod
                               benchmark always measures direct, its baseline)
            """;

    /** The outcome of reading a command line: settings, or every problem found. */
    public record Parsed(Optional<BenchSettings> settings, List<String> errors, boolean help) {}

    public BenchSettings {
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(duration, "duration");
        scenarios = List.copyOf(scenarios);
        arguments = List.copyOf(arguments);
    }

    /**
     * Reads {@code args}; {@code outBase} is where the default report directory is created,
     * {@code now} names it.
     */
    public static Parsed parse(String[] args, Path outBase, LocalDateTime now) {
        Flags flags = Flags.parse(args, Set.of("out", "rate", "connections", "duration", "warmup", "rounds",
                "bulk-bytes", "scenarios", "pods", "scaling"), Set.of("quick", "capture", "loopback", "help"));
        if (flags.bool("help")) {
            return new Parsed(Optional.empty(), List.of(), true);
        }
        boolean quick = flags.bool("quick");
        boolean capture = flags.bool("capture");
        Mode mode = capture ? Mode.CAPTURE : flags.bool("loopback") ? Mode.LOOPBACK : Mode.PODS;
        boolean pods = mode == Mode.PODS;
        Duration duration = flags.duration("duration", Duration.ofSeconds(quick ? (pods ? 3 : 5) : 20));
        Duration warmup = flags.duration("warmup", Duration.ofSeconds(quick ? (pods ? 1 : 2) : 5));
        List<String> errors = new ArrayList<>(flags.errors());
        if (capture && flags.bool("loopback")) {
            errors.add("--loopback and --capture are two different benchmarks; choose one");
        }
        int pairs = number(flags, "pods", quick ? 2 : 10, 1, 100, errors);
        List<Integer> scaling = scaling(flags.get("scaling").orElse(quick ? "1,3" : "1,10,50"), errors);
        if (!pods) {
            flags.get("pods").ifPresent(x -> errors.add("--pods is for the pod benchmark, not --" + mode.name()
                    .toLowerCase(Locale.ROOT)));
            flags.get("scaling").ifPresent(x -> errors.add("--scaling is for the pod benchmark, not --" + mode.name()
                    .toLowerCase(Locale.ROOT)));
        }
        int rate = number(flags, "rate", 1000, 1, 200_000, errors);
        int connections = number(flags, "connections", 16, 1, 4096, errors);
        int rounds = number(flags, "rounds", quick ? 2 : 3, 1, 50, errors);
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofHours(1)) > 0) {
            errors.add("--duration must be between 1s and 1h, got " + duration.toMillis() + "ms");
        }
        if (warmup.isNegative() || warmup.compareTo(Duration.ofHours(1)) > 0) {
            errors.add("--warmup must be between 0s and 1h, got " + warmup.toMillis() + "ms");
        }
        long bulk = quick ? 512L << 20 : 1L << 30;
        Optional<String> bulkFlag = flags.get("bulk-bytes");
        if (bulkFlag.isPresent()) {
            OptionalLong parsed = ByteSizes.parse(bulkFlag.get());
            if (parsed.isEmpty() || parsed.getAsLong() < 1 << 20 || parsed.getAsLong() > 64L << 30) {
                errors.add("--bulk-bytes must be a size between 1m and 64g such as 1g or 256m, got \""
                        + bulkFlag.get() + "\"");
            } else {
                bulk = parsed.getAsLong();
            }
        }
        if (capture) {
            flags.get("scenarios").ifPresent(x -> errors.add("--scenarios chooses among the loopback or pod scenarios;"
                    + " --capture always measures " + labels(Scenario.CAPTURE)));
        }
        if (mode != Mode.LOOPBACK) {
            flags.get("bulk-bytes").ifPresent(x -> errors.add("--bulk-bytes is for --loopback; the "
                    + (capture ? "capture" : "pod") + " benchmark measures latency only"));
        }
        List<Scenario> scenarios = switch (mode) {
            case CAPTURE -> Scenario.CAPTURE;
            case LOOPBACK -> scenarios(flags.get("scenarios").orElse("direct,ztunnel,nginx"), Scenario.Kind.LOOPBACK,
                    errors);
            case PODS -> podScenarios(flags.get("scenarios"), errors);
        };
        Path out = flags.get("out").map(Path::of)
                .orElse(outBase.resolve("bench-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        if (!errors.isEmpty()) {
            return new Parsed(Optional.empty(), List.copyOf(errors), false);
        }
        return new Parsed(Optional.of(new BenchSettings(quick, mode, out, rate, connections, warmup, duration,
                rounds, bulk, scenarios, pairs, scaling, List.of(args))), List.of(), false);
    }

    private static int number(Flags flags, String name, int fallback, int min, int max, List<String> errors) {
        Optional<String> value = flags.get(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.get().trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add("--" + name + " must be a whole number from " + min + " to " + max + ", got \"" + value.get() + "\"");
        return fallback;
    }

    private static List<Scenario> scenarios(String list, Scenario.Kind kind, List<String> errors) {
        List<Scenario> out = new ArrayList<>();
        String choices = labels(Arrays.stream(Scenario.values()).filter(x -> x.kind() == kind).toList());
        for (String name : list.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            Optional<Scenario> s = Scenario.parse(name, kind);
            Optional<Scenario> other = Arrays.stream(Scenario.Kind.values()).filter(k -> k != kind)
                    .flatMap(k -> Scenario.parse(name, k).stream()).findFirst();
            if (s.isEmpty() && other.isPresent()) {
                errors.add("--scenarios: \"" + name.trim() + "\" is measured by " + flag(other.get().kind()));
            } else if (s.isEmpty()) {
                errors.add("--scenarios: unknown scenario \"" + name.trim() + "\"; choose from " + choices);
            } else if (!out.contains(s.get())) {
                out.add(s.get());
            }
        }
        if (out.isEmpty() && errors.stream().noneMatch(e -> e.startsWith("--scenarios"))) {
            errors.add("--scenarios names no scenario; choose from " + choices);
        }
        return out;
    }

    /** The pod scenarios asked for, in report order, always with direct: added latency is measured against it. */
    private static List<Scenario> podScenarios(Optional<String> list, List<String> errors) {
        if (list.isEmpty()) {
            return Scenario.PODS;
        }
        List<Scenario> asked = scenarios(list.get(), Scenario.Kind.PODS, errors);
        return Scenario.PODS.stream().filter(s -> s == Scenario.POD_DIRECT || asked.contains(s)).toList();
    }

    private static String flag(Scenario.Kind kind) {
        return switch (kind) {
            case PODS -> "the pod benchmark (no mode flag)";
            case LOOPBACK -> "--loopback";
            case CAPTURE -> "--capture";
        };
    }

    private static List<Integer> scaling(String list, List<String> errors) {
        List<Integer> out = new ArrayList<>();
        for (String item : list.split(",")) {
            try {
                int n = Integer.parseInt(item.trim());
                if (n < 1 || n > 100) {
                    throw new NumberFormatException();
                }
                if (!out.isEmpty() && n <= out.get(out.size() - 1)) {
                    errors.add("--scaling must list pod counts in ascending order, got \"" + list + "\"");
                    return List.of(1);
                }
                out.add(n);
            } catch (NumberFormatException e) {
                errors.add("--scaling must be pod counts from 1 to 100 such as 1,10,50, got \"" + list + "\"");
                return List.of(1);
            }
        }
        if (out.size() < 2) {
            errors.add("--scaling needs at least two pod counts to give the memory per added pod, got \"" + list + "\"");
        }
        return out;
    }

    public boolean capture() {
        return mode == Mode.CAPTURE;
    }

    public boolean pods() {
        return mode == Mode.PODS;
    }

    private static String labels(List<Scenario> scenarios) {
        return String.join(", ", scenarios.stream().map(Scenario::label).toList());
    }

    /** Time per latency run, warm-up included. */
    public Duration runLength() {
        return warmup.plus(duration);
    }
}
