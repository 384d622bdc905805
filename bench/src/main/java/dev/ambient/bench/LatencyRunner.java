package dev.ambient.bench;

import dev.ambient.bench.load.HiccupMeter;
import dev.ambient.bench.load.LatencySummary;
import dev.ambient.bench.load.LoadGenerator;
import dev.ambient.bench.load.LoadPlan;
import dev.ambient.bench.load.LoadResult;
import dev.ambient.bench.load.MeasurementWindow;
import dev.ambient.bench.load.Route;
import dev.ambient.bench.proc.CpuWindow;
import dev.ambient.bench.proc.ProcessSampler;
import dev.ambient.bench.report.LatencyRound;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One recorded latency run of a scenario, the same way for the loopback and the capture benchmark:
 * the settings' open-loop plan, CPU of the processes that carry the scenario and the machine's
 * hiccups over exactly the recorded window. A run that cannot start becomes a round that carries the
 * error, so one broken path does not end the benchmark of the others.
 */
public final class LatencyRunner {

    private final BenchSettings settings;
    private final LoadGenerator load;
    private final ProcessSampler sampler;
    private final Consumer<String> say;
    private final int labelWidth;

    /** {@code labelWidth} pads scenario names in progress lines so that the numbers line up. */
    public LatencyRunner(BenchSettings settings, LoadGenerator load, ProcessSampler sampler, Consumer<String> say,
            int labelWidth) {
        this.settings = settings;
        this.load = load;
        this.sampler = sampler;
        this.say = say;
        this.labelWidth = labelWidth;
    }

    /**
     * Measures {@code scenario} along {@code route}; {@code pids} maps the role of each process that
     * carries it ("node-a") to its pid, in report order. Round 0 is a run outside the rounds.
     */
    public LatencyRound run(int round, Scenario scenario, Route route, Map<String, Long> pids, SplittableRandom random)
            throws InterruptedException {
        return run(round, scenario, List.of(route), pids, random, MeasurementWindow.NONE);
    }

    /**
     * The same over several routes (connection i takes route i modulo their number), with
     * {@code extra} also told when the recorded window opens and closes.
     */
    public LatencyRound run(int round, Scenario scenario, List<Route> routes, Map<String, Long> pids,
            SplittableRandom random, MeasurementWindow extra) throws InterruptedException {
        CpuWindow cpu = new CpuWindow(sampler, pids);
        HiccupMeter hiccups = new HiccupMeter(settings.duration().plusMinutes(1));
        String label = String.format(Locale.ROOT, "%-" + labelWidth + "s", scenario.label());
        try {
            LoadResult result = load.run(routes, plan(settings.warmup()), random,
                    MeasurementWindow.both(MeasurementWindow.both(cpu, hiccups), extra));
            Map<String, Double> cores = new LinkedHashMap<>();
            Map<String, Double> used = cpu.coresUsed();
            pids.keySet().forEach(role -> cores.put(role, used.getOrDefault(role, Double.NaN)));
            LatencyRound r = new LatencyRound(round, scenario, result.summary(), result.scheduled(),
                    result.measuredOk(), result.errors(), result.achievedRate(), cores, hiccups.summary(),
                    result.errorSamples());
            String vcpu = cores.isEmpty() ? "" : String.format(Locale.ROOT, ", %.3f vCPU/1k req/s", r.totalVcpuPer1k());
            say.accept(String.format(Locale.ROOT, "%s latency %s p50 %5.0f µs  p90 %5.0f µs  p99 %5.0f µs  "
                    + "p99.9 %6.0f µs  %6.1f req/s  errors %d%s; machine hiccups p99 %.0f µs, max %.0f µs",
                    when(round), label, r.latency().p50(), r.latency().p90(), r.latency().p99(),
                    r.latency().p999(), r.achievedRate(), r.errors(), vcpu, r.hiccups().p99(), r.hiccups().max()));
            return r;
        } catch (BenchException e) {
            say.accept(String.format(Locale.ROOT, "%s latency %s FAILED: %s", when(round), label, e.getMessage()));
            long scheduled = (long) settings.rate() * settings.duration().toSeconds();
            LatencySummary none = new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            return new LatencyRound(round, scenario, none, scheduled, 0, scheduled, 0, Map.of(), none,
                    List.of(e.getMessage()));
        }
    }

    /**
     * Unrecorded load along {@code route} for the warm-up time (at least 1 s), so that the first round
     * does not measure class loading and JIT compilation. Errors are said, not thrown: the recorded
     * rounds report them properly.
     */
    public void prime(Scenario scenario, Route route, SplittableRandom random) throws InterruptedException {
        prime(scenario, List.of(route), random);
    }

    /** The same over several routes. */
    public void prime(Scenario scenario, List<Route> routes, SplittableRandom random) throws InterruptedException {
        prime(scenario, routes, random, settings.warmup());
    }

    /** The same for {@code length} (at least 1 s). */
    public void prime(Scenario scenario, List<Route> routes, SplittableRandom random, Duration length)
            throws InterruptedException {
        length = length.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : length;
        LoadPlan plan = new LoadPlan(settings.rate(), settings.connections(), Duration.ZERO, length, Bench.BODY_BYTES);
        try {
            LoadResult r = load.run(routes, plan, random, MeasurementWindow.NONE);
            if (r.errors() > 0) {
                say.accept("priming " + scenario.label() + ": " + r.errors() + " error(s): " + r.errorSamples());
            }
        } catch (BenchException e) {
            say.accept("priming " + scenario.label() + " failed: " + e.getMessage());
        }
    }

    /** "round 2/3"; round 0 is a run outside the rounds. */
    private String when(int round) {
        return round == 0 ? "extra run" : "round " + round + "/" + settings.rounds();
    }

    private LoadPlan plan(Duration warmup) {
        return new LoadPlan(settings.rate(), settings.connections(), warmup, settings.duration(), Bench.BODY_BYTES);
    }
}
