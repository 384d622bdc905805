package dev.ambient.bench.proxies;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.Scenario;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The paths of one run, started together and stopped together. The ztunnel pair is what the bench is
 * for, so its failure to start fails the run; the nginx pair is a comparison, so when nginx is
 * missing or does not start the run goes on without it and says why.
 */
public final class PathSet implements AutoCloseable {

    private final List<ProxyPath> paths = new ArrayList<>();
    private final Map<Scenario, String> notRun = new LinkedHashMap<>();
    private final Consumer<String> say;

    private PathSet(Consumer<String> say) {
        this.say = say;
    }

    /**
     * Starts the {@code wanted} paths to {@code upstream} and {@code sink}. Generated files go under
     * {@code work}, logs into {@code logDir}; {@code nginx} is the detection result when nginx is wanted.
     */
    public static PathSet start(List<Scenario> wanted, Optional<NginxInstallation.Detection> nginx,
            ChildProcesses children, Path work, Path logDir, InetSocketAddress upstream, InetSocketAddress sink,
            Consumer<String> say) throws BenchException, InterruptedException {
        PathSet set = new PathSet(say);
        try {
            set.startAll(wanted, nginx, children, work, logDir, upstream, sink);
        } catch (BenchException | InterruptedException | RuntimeException e) {
            set.close();
            throw e;
        }
        return set;
    }

    private void startAll(List<Scenario> wanted, Optional<NginxInstallation.Detection> nginx, ChildProcesses children,
            Path work, Path logDir, InetSocketAddress upstream, InetSocketAddress sink)
            throws BenchException, InterruptedException {
        FreePorts ports = new FreePorts();
        if (wanted.contains(Scenario.DIRECT)) {
            paths.add(new DirectPath(upstream, sink));
        }
        Path caDir = work.resolve("ca");
        EmbeddedCa ca = null;
        if (wanted.contains(Scenario.ZTUNNEL)) {
            ca = ca(caDir);
            say.accept("starting ztunnel node-a (127.0.0.2) and node-b (127.0.0.3); logs in " + logDir);
            long t = System.nanoTime();
            paths.add(ZtunnelPair.start(ZtunnelLaunch.likeThisJvm(), children, ports, work, caDir, logDir, upstream,
                    sink));
            say.accept(String.format("ztunnels ready in %.1f s", (System.nanoTime() - t) / 1e9));
        }
        if (wanted.contains(Scenario.NGINX)) {
            NginxInstallation.Detection detection = nginx.orElseThrow(
                    () -> new IllegalArgumentException("BUG: nginx wanted but not detected"));
            if (detection.installation().isEmpty()) {
                skip(Scenario.NGINX, detection.problem());
            } else {
                NginxInstallation installation = detection.installation().get();
                ca = ca == null ? ca(caDir) : ca;
                NginxIdentities identities = NginxIdentities.write(ca, caDir, work.resolve("nginx-certs"));
                say.accept("starting " + installation.version() + " client (127.0.0.2) and server (127.0.0.3) with mTLS");
                try {
                    paths.add(NginxPair.start(installation, children, ports, work, logDir, identities, upstream, sink));
                } catch (BenchException e) {
                    skip(Scenario.NGINX, "it did not start: " + e.getMessage());
                }
            }
        }
        if (paths.isEmpty()) {
            throw new BenchException("no scenario can run: " + notRun);
        }
    }

    private void skip(Scenario scenario, String why) {
        notRun.put(scenario, why);
        say.accept(scenario.label() + " scenario NOT RUN: " + why);
    }

    private static EmbeddedCa ca(Path caDir) throws BenchException {
        try {
            return EmbeddedCa.loadOrCreate(caDir, "cluster.local", Clock.systemUTC());
        } catch (RuntimeException e) {
            throw new BenchException("cannot create the mesh CA in " + caDir + ": " + e.getMessage(), e);
        }
    }

    /** The running paths, in the order they were asked for. */
    public List<ProxyPath> paths() {
        return List.copyOf(paths);
    }

    /** Scenarios asked for that could not run, with the reason. */
    public Map<Scenario, String> notRun() {
        return Map.copyOf(notRun);
    }

    /** Stops every path, the last started first. */
    @Override
    public void close() {
        for (ProxyPath path : paths.reversed()) {
            if (!path.processes().isEmpty()) {
                say.accept("stopping " + path.scenario().label());
            }
            path.close();
        }
        paths.clear();
    }
}
