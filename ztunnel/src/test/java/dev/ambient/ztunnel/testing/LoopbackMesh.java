package dev.ambient.ztunnel.testing;

import dev.ambient.ztunnel.Ztunnel;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.identity.CaClient;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.TrustBundle;
import dev.ambient.ztunnel.meshfile.LoopbackPods;
import dev.ambient.ztunnel.net.IpLiteral;
import dev.ambient.ztunnel.socks.Socks5Client;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Two ztunnels in one JVM on the {@link LoopbackPods} layout: node-a serves pod {@code client}
 * (127.0.0.2), node-b serves pod {@code server} (127.0.0.3), whose app is an {@link EchoServer}. Every listener but HBONE binds
 * port 0; HBONE binds one free port on each pod address, as peers dial the pod IP's HBONE port.
 */
public final class LoopbackMesh implements AutoCloseable {

    public static final InetAddress CLIENT_IP = LoopbackPods.CLIENT_IP;
    public static final InetAddress SERVER_IP = LoopbackPods.SERVER_IP;
    public static final String SERVICE_VIP = LoopbackPods.SERVICE_VIP;

    public final Path dir;
    public final Path meshFile;
    public final EmbeddedCa ca;
    public final EchoServer echo;
    public final Ztunnel nodeA;
    public final Ztunnel nodeB;
    public final int hbonePort;

    private LoopbackMesh(Path dir, Path meshFile, EmbeddedCa ca, EchoServer echo, Ztunnel nodeA, Ztunnel nodeB,
            int hbonePort) {
        this.dir = dir;
        this.meshFile = meshFile;
        this.ca = ca;
        this.echo = echo;
        this.nodeA = nodeA;
        this.nodeB = nodeB;
        this.hbonePort = hbonePort;
    }

    /** Starts both nodes; {@code extraYaml} (policies, more pods) is appended to the mesh file. */
    public static LoopbackMesh start(String extraYaml) throws IOException {
        return start(extraYaml, UnaryOperator.identity());
    }

    /**
     * As {@link #start(String)}, with {@code tweak} applied to both nodes' configuration. The HBONE
     * port is free when chosen, but another socket may take it before the nodes bind it: then the
     * start is tried again on another port.
     */
    public static LoopbackMesh start(String extraYaml, UnaryOperator<ZtunnelConfig> tweak) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(extraYaml, tweak);
            } catch (IllegalStateException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static LoopbackMesh startOnce(String extraYaml, UnaryOperator<ZtunnelConfig> tweak) throws IOException {
        Path dir = Files.createTempDirectory("loopback-mesh");
        EmbeddedCa ca = EmbeddedCa.generate("cluster.local", Clock.systemUTC());
        EchoServer echo = new EchoServer(SERVER_IP);
        Path mesh = dir.resolve("mesh.yaml");
        Files.writeString(mesh, meshYaml(echo.port(), extraYaml));
        int hbone = freePort();
        Ztunnel a = null;
        try {
            a = startNode("node-a", CLIENT_IP, hbone, mesh, dir, ca, ca.bundle(), tweak);
            Ztunnel b = startNode("node-b", SERVER_IP, hbone, mesh, dir, ca, ca.bundle(), tweak);
            LoopbackMesh m = new LoopbackMesh(dir, mesh, ca, echo, a, b, hbone);
            m.awaitReady();
            return m;
        } catch (RuntimeException e) {
            if (a != null) {
                a.close();
            }
            echo.close();
            throw e;
        }
    }

    /** A ztunnel for {@code node}, its capture and HBONE listeners on {@code address}. */
    public static Ztunnel startNode(String node, InetAddress address, int hbonePort, Path mesh, Path dir, CaClient ca,
            TrustBundle bundle) {
        return startNode(node, address, hbonePort, mesh, dir, ca, bundle, UnaryOperator.identity());
    }

    /** As above, with {@code tweak} applied to its configuration. */
    public static Ztunnel startNode(String node, InetAddress address, int hbonePort, Path mesh, Path dir, CaClient ca,
            TrustBundle bundle, UnaryOperator<ZtunnelConfig> tweak) {
        ZtunnelConfig config = ZtunnelConfig.defaults(node, mesh, dir.resolve("ca"))
                .withListenAddress(address)
                .withPorts(ZtunnelConfig.Ports.ephemeral(hbonePort))
                .withDrainTimeout(Duration.ofSeconds(10))
                .withWorkerThreads(2);
        return Ztunnel.start(tweak.apply(config), ca, bundle);
    }

    public static String meshYaml(int appPort, String extra) {
        return LoopbackPods.meshYaml(appPort, extra);
    }

    /** A waypoint {@code demo/wp} and its pod {@code demo/wp-1} at 127.0.0.4 on node-w (mesh file documents). */
    public static final String WAYPOINT_YAML = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: wp, namespace: demo}
            spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: wp-1, namespace: demo, labels: {gateway.networking.k8s.io/gateway-name: wp}}
            spec: {serviceAccountName: wp, nodeName: node-w}
            status: {podIP: 127.0.0.4}
            """;

    /** The configuration of the waypoint's proxy for {@link #WAYPOINT_YAML}'s pod. */
    public ZtunnelConfig waypointConfig() {
        return ZtunnelConfig.defaults("node-w", meshFile, dir.resolve("ca"))
                .withListenAddress(IpLiteral.parse("127.0.0.4").orElseThrow())
                .withPorts(ZtunnelConfig.Ports.ephemeral(hbonePort))
                .withDrainTimeout(Duration.ofSeconds(2))
                .withWorkerThreads(2)
                .toBuilder().waypoint("demo/wp-1").build();
    }

    /** Rewrites the mesh file and makes both nodes load it now. */
    public void rewrite(String extraYaml) throws IOException {
        Files.writeString(meshFile, meshYaml(echo.port(), extraYaml));
        nodeA.meshFileSource().orElseThrow().poll();
        nodeB.meshFileSource().orElseThrow().poll();
    }

    /** A client connection from pod {@code client} through node-a's SOCKS5 to {@code destination}. */
    public Socket connect(InetSocketAddress destination) throws IOException {
        return Socks5Client.connect(CLIENT_IP, nodeA.socks5Address(), destination);
    }

    /** A client connection from pod {@code client} to the server pod's echo port. */
    public Socket connectToServer() throws IOException {
        return connect(new InetSocketAddress(SERVER_IP, echo.port()));
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!(nodeA.ready() && nodeB.ready())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ztunnels not ready within 20s: node-a " + nodeA.ready()
                        + ", node-b " + nodeB.ready());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A port free on both pod addresses right now. */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(SERVER_IP, 0));
                port = s.getLocalPort();
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(CLIENT_IP, port));
                return port;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no port free on both 127.0.0.2 and 127.0.0.3");
    }

    @Override
    public void close() throws IOException {
        nodeA.close();
        nodeB.close();
        echo.close();
    }
}
