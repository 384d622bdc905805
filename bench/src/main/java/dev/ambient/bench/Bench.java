package dev.ambient.bench;

import dev.ambient.bench.bulk.BulkClient;
import dev.ambient.bench.bulk.BulkResult;
import dev.ambient.bench.capture.CaptureBench;
import dev.ambient.bench.load.Connector;
import dev.ambient.bench.load.LoadGenerator;
import dev.ambient.bench.proc.ProcessSampler;
import dev.ambient.bench.proxies.ChildProcesses;
import dev.ambient.bench.proxies.NginxIdentities;
import dev.ambient.bench.proxies.NginxInstallation;
import dev.ambient.bench.proxies.PathSet;
import dev.ambient.bench.proxies.ProxyPath;
import dev.ambient.bench.proxies.ProxyProcess;
import dev.ambient.bench.pods.PodBench;
import dev.ambient.bench.pods.PodNotes;
import dev.ambient.bench.report.BenchReport;
import dev.ambient.bench.report.PodResults;
import dev.ambient.bench.report.BulkRound;
import dev.ambient.bench.report.CaptureResults;
import dev.ambient.bench.report.LatencyRound;
import dev.ambient.bench.report.LogFindings;
import dev.ambient.bench.report.MachineFacts;
import dev.ambient.bench.report.MemoryReading;
import dev.ambient.bench.upstream.ByteSink;
import dev.ambient.bench.upstream.HttpUpstream;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark run: starts the upstream servers in this JVM and every requested path (direct,
 * the ztunnel pair, the nginx pair), then measures them in interleaved rounds (latency of all,
 * then bulk of all, in a freshly shuffled order each round) so that a noisy minute on a shared
 * machine spreads over every scenario instead of landing on one. With {@code --capture} it runs the
 * {@link CaptureBench} instead. Every process started is stopped before {@link #run} returns.
 */
public final class Bench {

    /** Request and response body size. */
    public static final int BODY_BYTES = 1024;

    private static final long PRIME_BULK_BYTES = 128L << 20;

    private final BenchSettings settings;
    private final PrintStream progress;
    private final String commandLine;

    public Bench(BenchSettings settings, PrintStream progress, String commandLine) {
        this.settings = settings;
        this.progress = progress;
        this.commandLine = commandLine;
    }

    public BenchReport run() throws BenchException, InterruptedException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        Path work = directories();
        Transport transport = Transport.best();
        Optional<NginxInstallation.Detection> nginx = settings.scenarios().contains(Scenario.NGINX)
                || settings.scenarios().contains(Scenario.NGINX_SIDECAR)
                || settings.scenarios().contains(Scenario.NGINX_L7_SIDECAR)
                ? Optional.of(NginxInstallation.detect()) : Optional.empty();
        String proxies = nginx.map(d -> d.installation().map(NginxInstallation::version).orElse("nginx unavailable"))
                .orElse("nginx not requested");
        if (settings.scenarios().contains(Scenario.HAPROXY_SIDECAR)) {
            proxies += ", " + haproxyVersion();
        }
        MachineFacts machine = MachineFacts.collect(transport.name(), proxies);
        say("%d cores, Linux %s, Java %s, %s transport; load average %s", machine.cores(), machine.kernel(),
                Runtime.version(), transport.name(), machine.loadBefore());
        say("plan: %d round(s) × %s × (%ds warm-up + %ds recorded) at %d req/s over %d connections%s; output %s",
                settings.rounds(), settings.scenarios().stream().map(Scenario::label).toList(),
                settings.warmup().toSeconds(), settings.duration().toSeconds(), settings.rate(), settings.connections(),
                settings.capture() ? ", then label trials" : settings.pods() ? ", " + settings.pairs()
                        + " pod pairs each, then node memory at " + settings.scalingPods() + " pods per node"
                        : ", bulk " + ByteSizes.format(settings.bulkBytes()),
                settings.outDir());
        if (settings.pods()) {
            PodBench bench = new PodBench(settings, work, transport, line -> say("%s", line));
            PodResults pods = bench.run(random);
            List<String> notes = new ArrayList<>(bench.problems());
            notes.addAll(PodNotes.of(pods, machine));
            return new BenchReport(started, Duration.ofNanos(System.nanoTime() - t0), seed, commandLine,
                    machine.withLoadAfter(), settings, List.of(), Map.of(), notes, List.of(), List.of(), Map.of(),
                    Optional.empty(), Optional.of(pods));
        }
        if (settings.capture()) {
            CaptureResults capture = new CaptureBench(settings, work, settings.outDir(), transport,
                    line -> say("%s", line)).run(random);
            List<String> notes = new ArrayList<>(LogFindings.scan(settings.outDir()));
            notes.addAll(captureNotes(capture, machine));
            return new BenchReport(started, Duration.ofNanos(System.nanoTime() - t0), seed, commandLine,
                    machine.withLoadAfter(), settings, List.of(), Map.of(), notes, List.of(), List.of(), Map.of(),
                    Optional.of(capture), Optional.empty());
        }
        List<String> notes = new ArrayList<>();
        List<LatencyRound> latency = new ArrayList<>();
        List<BulkRound> bulk = new ArrayList<>();
        Map<Scenario, List<MemoryReading>> memory = new LinkedHashMap<>();
        List<Scenario> measured = new ArrayList<>();
        EventLoopGroup servers = transport.newGroup(1, new DefaultThreadFactory("bench-upstream", true));
        EventLoopGroup clients = transport.newGroup(1, new DefaultThreadFactory("bench-client", true));
        Map<Scenario, String> notRun = Map.of();
        try (ChildProcesses children = new ChildProcesses();
                HttpUpstream upstream = HttpUpstream.start(LoopbackHosts.SERVER, transport, servers, BODY_BYTES);
                ByteSink sink = ByteSink.start(LoopbackHosts.SERVER, transport, servers);
                PathSet set = PathSet.start(settings.scenarios(), nginx, children, work, settings.outDir(),
                        upstream.address(), sink.address(), line -> say("%s", line))) {
            notRun = set.notRun();
            List<ProxyPath> paths = set.paths();
            paths.forEach(p -> measured.add(p.scenario()));
            Connector connector = new Connector(clients, transport.socketChannel(), Duration.ofSeconds(10));
            try (LoadGenerator load = new LoadGenerator(connector)) {
                ProcessSampler sampler = ProcessSampler.system();
                BulkClient bulkClient = new BulkClient(connector);
                LatencyRunner runner = new LatencyRunner(settings, load, sampler, line -> say("%s", line), 7);
                prime(paths, runner, bulkClient, random);
                for (int round = 1; round <= settings.rounds(); round++) {
                    for (ProxyPath path : Shuffle.of(paths, random)) {
                        latency.add(runner.run(round, path.scenario(), path.httpRoute(), pids(path), random.split()));
                    }
                    for (ProxyPath path : Shuffle.of(paths, random)) {
                        bulk.add(bulkRun(round, path, bulkClient, random.split()));
                    }
                }
                for (ProxyPath path : paths) {
                    if (!path.processes().isEmpty()) {
                        memory.put(path.scenario(), path.processes().stream()
                                .map(p -> new MemoryReading(p.role(), sampler.memory(p.pid()))).toList());
                    }
                }
            }
        } finally {
            servers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        notes.addAll(LogFindings.scan(settings.outDir()));
        if (measured.contains(Scenario.ZTUNNEL)) {
            notes.add("ztunnel carries the " + settings.connections() + " client connections as HTTP/2 streams over"
                    + " one pooled mTLS connection between the nodes; nginx opens one TLS connection per client"
                    + " connection.");
        }
        if (measured.contains(Scenario.NGINX)) {
            notes.add("nginx's server certificate is the server SVID plus the DNS SAN " + NginxIdentities.SERVER_NAME
                    + ": proxy_ssl_verify always checks a host name and cannot match a SPIFFE URI SAN. nginx verifies"
                    + " the chain only; ztunnel also checks the peer's SPIFFE ID.");
        }
        notes.add("Every process shares this machine's " + machine.cores() + " cores: the bench JVM (load generator,"
                + " upstream, sink) and the proxies compete for CPU, as on a busy node.");
        return new BenchReport(started, Duration.ofNanos(System.nanoTime() - t0), seed, commandLine,
                machine.withLoadAfter(), settings, measured, notRun, notes, latency, bulk, memory, Optional.empty(),
                Optional.empty());
    }

    /** What a reader of the capture numbers must know, and any run whose path was not the intended one. */
    private static List<String> captureNotes(CaptureResults capture, MachineFacts machine) {
        List<String> notes = new ArrayList<>();
        capture.paths().stream().filter(p -> !p.ok()).forEach(p -> notes.add("PATH CHECK FAILED: "
                + p.scenario().label() + " round " + p.round() + ": " + p.problem()));
        capture.flips().stream().filter(f -> !f.error().isEmpty()).forEach(f -> notes.add("label trial "
                + f.trial() + ": " + f.error()));
        notes.add("iptables REDIRECT capture is not compared: ztunnel does not read SO_ORIGINAL_DST yet, so it cannot"
                + " serve redirected connections; only eBPF capture (bpf_sk_assign, the original destination being the"
                + " accepted socket's local address) is measured.");
        notes.add("The capture programs' CPU time is not in the agents' vCPU: tc programs run in the kernel, in"
                + " the context of whatever sends or receives the packet, so their cost shows only as latency"
                + " (netns-direct-attached against netns-direct).");
        notes.add("Every pod's application and load client runs in this one bench JVM, on this machine's "
                + machine.cores() + " cores shared with both agents, as on a busy node.");
        return notes;
    }

    /** "HAProxy version 2.6.12-1+deb12u3 …" from {@code haproxy -v}, or why not. */
    private static String haproxyVersion() {
        try {
            return dev.ambient.sys.Commands.run("haproxy", "-v").lines().findFirst().orElse("HAProxy: no version")
                    .replaceFirst(" - https?://\\S+", "").strip();
        } catch (RuntimeException e) {
            return "HAProxy unavailable";
        }
    }

    private Path directories() throws BenchException {
        try {
            Files.createDirectories(settings.outDir());
            return Files.createDirectories(settings.outDir().resolve("work"));
        } catch (IOException e) {
            throw new BenchException("cannot create the report directory " + settings.outDir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * One unrecorded latency run and one bulk transfer per path before round 1, so that round 1 does
     * not measure class loading and JIT compilation of the proxies and of this JVM.
     */
    private void prime(List<ProxyPath> paths, LatencyRunner runner, BulkClient bulkClient, SplittableRandom random)
            throws InterruptedException {
        long bytes = Math.min(settings.bulkBytes(), PRIME_BULK_BYTES);
        say("priming each path with %d s of load and %s of bulk, not recorded",
                Math.max(1, settings.warmup().toSeconds()), ByteSizes.format(bytes));
        for (ProxyPath path : paths) {
            runner.prime(path.scenario(), path.httpRoute(), random.split());
            try {
                bulkClient.transfer(path.bulkRoute(), bytes, Duration.ofSeconds(60), random.split());
            } catch (BenchException e) {
                say("priming %s failed: %s", path.scenario().label(), e.getMessage());
            }
        }
    }

    /** The processes that carry a path, by role, for CPU accounting. */
    private static Map<String, Long> pids(ProxyPath path) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (ProxyProcess p : path.processes()) {
            pids.put(p.role(), p.pid());
        }
        return pids;
    }

    private BulkRound bulkRun(int round, ProxyPath path, BulkClient client, SplittableRandom random)
            throws InterruptedException {
        long bytes = settings.bulkBytes();
        // Bounded: a path slower than 10 MB/s is broken for this purpose.
        Duration timeout = Duration.ofSeconds(30 + bytes / 10_000_000);
        String label = path.scenario().label();
        try {
            BulkResult result = client.transfer(path.bulkRoute(), bytes, timeout, random);
            say("round %d/%d bulk    %-7s %s in %.2f s = %.0f MB/s", round, settings.rounds(), label,
                    ByteSizes.format(bytes), result.seconds(), result.megabytesPerSecond());
            return new BulkRound(round, path.scenario(), bytes, result.megabytesPerSecond(), "");
        } catch (BenchException e) {
            say("round %d/%d bulk    %-7s FAILED: %s", round, settings.rounds(), label, e.getMessage());
            return new BulkRound(round, path.scenario(), bytes, Double.NaN, e.getMessage());
        }
    }

    private void say(String format, Object... args) {
        progress.println("bench: " + String.format(Locale.ROOT, format, args));
        progress.flush();
    }
}
