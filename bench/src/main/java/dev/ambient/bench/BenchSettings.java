package dev.ambient.bench;

import dev.ambient.ztunnel.config.Flags;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What one benchmark run does, fixed before it starts.
 *
 * @param quick whether the short defaults were asked for
 * @param capture whether this is the capture benchmark (pods in network namespaces, node agents with
 *     eBPF capture) instead of the loopback comparison of proxies
 * @param outDir where report.json, report.md and the proxies' logs go
 * @param rate requests per second offered in total, whatever the responses do (open loop)
 * @param connections keep-alive connections the requests are spread over
 * @param warmup load per run that is sent but not recorded (JIT, pools, TCP windows)
 * @param duration recorded load per run
 * @param rounds how often every scenario is measured; results are medians over rounds
 * @param bulkBytes bytes streamed over one connection per bulk transfer
 * @param scenarios the scenarios asked for, in command-line order
 * @param arguments the command line as given, for the report
 */
public record BenchSettings(
        boolean quick,
        boolean capture,
        Path outDir,
        int rate,
        int connections,
        Duration warmup,
        Duration duration,
        int rounds,
        long bulkBytes,
        List<Scenario> scenarios,
        List<String> arguments) {

    public static final String USAGE = """
            usage: mesh bench [--quick] [--capture] [--out DIR] [--rate N] [--connections N] [--duration 20s]
                              [--warmup 5s] [--rounds 3] [--bulk-bytes 1g] [--scenarios direct,ztunnel,nginx]
              --quick          short run (2 rounds of 2 s warm-up + 5 s, 512 MiB bulk): about a minute
              --capture        instead of the loopback proxies, eBPF capture between pods of a local cluster
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
              --scenarios L    comma-separated subset of direct,ztunnel,nginx (default all)
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
                "bulk-bytes", "scenarios"), Set.of("quick", "capture", "help"));
        if (flags.bool("help")) {
            return new Parsed(Optional.empty(), List.of(), true);
        }
        boolean quick = flags.bool("quick");
        boolean capture = flags.bool("capture");
        Duration duration = flags.duration("duration", Duration.ofSeconds(quick ? 5 : 20));
        Duration warmup = flags.duration("warmup", Duration.ofSeconds(quick ? 2 : 5));
        List<String> errors = new ArrayList<>(flags.errors());
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
            flags.get("scenarios").ifPresent(x -> errors.add("--scenarios chooses among the loopback scenarios;"
                    + " --capture always measures " + labels(Scenario.CAPTURE)));
            flags.get("bulk-bytes").ifPresent(x -> errors.add("--bulk-bytes has no effect with --capture, which"
                    + " measures latency only"));
        }
        List<Scenario> scenarios = capture ? Scenario.CAPTURE
                : scenarios(flags.get("scenarios").orElse("direct,ztunnel,nginx"), errors);
        Path out = flags.get("out").map(Path::of)
                .orElse(outBase.resolve("bench-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        if (!errors.isEmpty()) {
            return new Parsed(Optional.empty(), List.copyOf(errors), false);
        }
        return new Parsed(Optional.of(new BenchSettings(quick, capture, out, rate, connections, warmup, duration,
                rounds, bulk, scenarios, List.of(args))), List.of(), false);
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

    private static List<Scenario> scenarios(String list, List<String> errors) {
        List<Scenario> out = new ArrayList<>();
        for (String name : list.split(",")) {
            if (name.isBlank()) {
                continue;
            }
            Optional<Scenario> s = Scenario.parse(name).filter(x -> !x.capture());
            if (s.isEmpty() && Scenario.parse(name).isPresent()) {
                errors.add("--scenarios: \"" + name.trim() + "\" is measured by --capture");
            } else if (s.isEmpty()) {
                errors.add("--scenarios: unknown scenario \"" + name.trim() + "\"; choose from direct, ztunnel, nginx");
            } else if (!out.contains(s.get())) {
                out.add(s.get());
            }
        }
        if (out.isEmpty() && errors.stream().noneMatch(e -> e.startsWith("--scenarios"))) {
            errors.add("--scenarios names no scenario; choose from direct, ztunnel, nginx");
        }
        return out;
    }

    private static String labels(List<Scenario> scenarios) {
        return String.join(", ", scenarios.stream().map(Scenario::label).toList());
    }

    /** Time per latency run, warm-up included. */
    public Duration runLength() {
        return warmup.plus(duration);
    }
}
