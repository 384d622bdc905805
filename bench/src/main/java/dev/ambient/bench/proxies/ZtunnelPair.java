package dev.ambient.bench.proxies;

import dev.ambient.ztunnel.meshfile.LoopbackPods;
import dev.ambient.bench.BenchException;
import dev.ambient.bench.LoopbackHosts;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Two ztunnel processes on loopback: node-a (127.0.0.2) serves pod client, node-b (127.0.0.3) serves
 * pod server. Clients leave from 127.0.0.2 through node-a's SOCKS5 listener, which names them as pod
 * client; node-a tunnels over HBONE (HTTP/2 CONNECT in mutual TLS) to node-b, which delivers to the
 * server pod's port. Both share one CA directory, which must exist before they start.
 */
public final class ZtunnelPair implements ProxyPath {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final ChildProcesses children;
    private final Process nodeA;
    private final Process nodeB;
    private final Route http;
    private final Route bulk;

    private ZtunnelPair(ChildProcesses children, Process nodeA, Process nodeB, Route http, Route bulk) {
        this.children = children;
        this.nodeA = nodeA;
        this.nodeB = nodeB;
        this.http = http;
        this.bulk = bulk;
    }

    /**
     * Writes the mesh file into {@code workDir}, starts both nodes with logs in {@code logDir}, and
     * waits until both report ready.
     */
    public static ZtunnelPair start(ZtunnelLaunch launch, ChildProcesses children, FreePorts freePorts, Path workDir,
            Path caDir, Path logDir, InetSocketAddress upstream, InetSocketAddress sink)
            throws BenchException, InterruptedException {
        Path mesh = workDir.resolve("mesh.yaml");
        try {
            Files.writeString(mesh, LoopbackPods.meshYaml(80, ""));
        } catch (IOException e) {
            throw new BenchException("cannot write the mesh file " + mesh + ": " + e.getMessage(), e);
        }
        int hbone = freePorts.on(List.of(LoopbackHosts.CLIENT, LoopbackHosts.SERVER));
        ZtunnelPorts portsA = ZtunnelPorts.allocate(freePorts, LoopbackHosts.CLIENT, hbone);
        ZtunnelPorts portsB = ZtunnelPorts.allocate(freePorts, LoopbackHosts.SERVER, hbone);
        Path logA = logDir.resolve("ztunnel-node-a.log");
        Path logB = logDir.resolve("ztunnel-node-b.log");
        Process a = children.start("ztunnel node-a",
                launch.command("node-a", mesh, caDir, LoopbackHosts.CLIENT, portsA), logA);
        Process b = null;
        try {
            b = children.start("ztunnel node-b", launch.command("node-b", mesh, caDir, LoopbackHosts.SERVER, portsB), logB);
            awaitReady("ztunnel node-a", portsA, a, logA);
            awaitReady("ztunnel node-b", portsB, b, logB);
        } catch (BenchException | InterruptedException | RuntimeException e) {
            children.stop(a);
            if (b != null) {
                children.stop(b);
            }
            throw e;
        }
        InetSocketAddress socks = new InetSocketAddress(LoopbackHosts.LOCAL, portsA.socks5());
        return new ZtunnelPair(children, a, b, Route.socks5(LoopbackHosts.CLIENT, socks, upstream),
                Route.socks5(LoopbackHosts.CLIENT, socks, sink));
    }

    private static void awaitReady(String name, ZtunnelPorts ports, Process process, Path log)
            throws BenchException, InterruptedException {
        URI ready = URI.create("http://" + address(LoopbackHosts.LOCAL) + ":" + ports.admin() + "/healthz/ready");
        Readiness.awaitHttpOk(name, ready, process, log, READY_TIMEOUT);
    }

    private static String address(InetAddress address) {
        return address.getHostAddress();
    }

    @Override
    public Scenario scenario() {
        return Scenario.ZTUNNEL;
    }

    @Override
    public Route httpRoute() {
        return http;
    }

    @Override
    public Route bulkRoute() {
        return bulk;
    }

    @Override
    public List<ProxyProcess> processes() {
        return List.of(new ProxyProcess("node-a", nodeA.pid()), new ProxyProcess("node-b", nodeB.pid()));
    }

    /** SIGTERM to both (each drains, then exits), SIGKILL if one does not exit in time. */
    @Override
    public void close() {
        children.stop(nodeA);
        children.stop(nodeB);
    }
}
