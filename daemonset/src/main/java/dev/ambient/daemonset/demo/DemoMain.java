package dev.ambient.daemonset.demo;

import dev.ambient.sys.Commands;
import dev.ambient.daemonset.cluster.ClusterSpec;

import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.daemonset.cluster.PacketCapture;
import dev.ambient.daemonset.cluster.PodApps;
import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code mesh demo}: builds two nodes and two pods as network namespaces, runs a ztunnel process per
 * node, sends traffic from one pod to the other and shows what the mesh did: the tunnel, the
 * identities, what the wire between the nodes carried, and a policy taking effect. Everything it
 * builds is removed at the end, also when it fails.
 */
public final class DemoMain {

    private static final int APP_PORT = 8080;
    private static final String DENY = """
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: deny-client, namespace: demo}
            spec:
              action: DENY
              rules:
              - from:
                - source: {principals: ["cluster.local/ns/demo/sa/client"]}
            """;

    private DemoMain() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length == 2 && args[0].equals("--work") ? args[1] : ".mesh/demo").toAbsolutePath();
        if (!"0".equals(Commands.run("id", "-u").strip())) {
            System.err.println("mesh demo: needs root, to create network namespaces for the nodes and pods");
            System.exit(1);
        }
        LocalCluster.removeLeftovers();
        deleteRecursively(work);
        Files.createDirectories(work);
        Path mesh = work.resolve("mesh.yaml");
        String meshText = new String(DemoMain.class.getResourceAsStream("/demo/mesh.yaml").readAllBytes());
        Files.writeString(mesh, meshText);
        Narrator say = new Narrator(6);
        System.out.println("mesh demo: two nodes, two pods, one ztunnel per node (network namespaces on this machine)\n");
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(meshText, mesh.toString()));
        try (LocalCluster cluster = LocalCluster.create(spec, "demo")) {
            for (String node : spec.nodes().keySet()) {
                cluster.steerHboneToNode(node, 15008);
            }
            say.step("cluster", describe(spec));
            List<String> flags = List.of("--transparent", "--socks5-address", LocalCluster.GATEWAY);
            long started = System.nanoTime();
            try (NodeProcess a = NodeProcess.start("node-a", cluster.nodeNamespace("node-a"), mesh,
                    work.resolve("ca"), work.resolve("logs"), flags);
                    NodeProcess b = NodeProcess.start("node-b", cluster.nodeNamespace("node-b"), mesh,
                            work.resolve("ca"), work.resolve("logs"), flags);
                    NetNamespace serverPod = cluster.openPod("demo", "server");
                    NetNamespace clientPod = cluster.openPod("demo", "client");
                    ServerSocket app = PodApps.echo(serverPod, APP_PORT)) {
                a.awaitReady(15021, Duration.ofSeconds(60));
                b.awaitReady(15021, Duration.ofSeconds(60));
                say.step("ztunnels", "node-a and node-b ready in " + millis(started) + " ms, each holding the "
                        + "certificate of its own pod (CA in " + work.resolve("ca") + ")");
                Traffic traffic = new Traffic(clientPod, spec.pod("demo", "client").ip(),
                        new InetSocketAddress(spec.pod("demo", "server").ip(), APP_PORT));
                PacketCapture capture = PacketCapture.start(cluster.nodeNamespace("node-a"), "eth0",
                        work.resolve("node-link.pcap"));
                String sent = traffic.echo(1024 * 1024);
                PacketCapture.Summary wire = capture.stop(APP_PORT, Traffic.MARKER);
                InetSocketAddress to = traffic.destination();
                say.step("traffic", "demo/client → " + to.getAddress().getHostAddress() + ":" + to.getPort() + " through node-a's SOCKS5, an HBONE "
                        + "tunnel and node-b: " + sent);
                say.step("identity", Metrics.describeInbound(b.get(15020, "/metrics")));
                say.step("the wire", wire.toString());
                try (Socket live = traffic.open()) {
                    Files.writeString(mesh, meshText + DENY);
                    Thread.sleep(1500); // both ztunnels reload the mesh file within a second
                    String refused = traffic.tryConnect();
                    String cut = traffic.isClosed(live) ? "the connection opened before it was closed by node-b"
                            : "the connection opened before is STILL OPEN (unexpected)";
                    say.step("policy", "DENY from spiffe://cluster.local/ns/demo/sa/client applied by editing the mesh "
                            + "file: a new connection " + refused + "; " + cut);
                }
                System.out.println("\nAccess logs and ztunnel output: " + work.resolve("logs"));
                System.out.println("Admin while running: /config_dump on 127.0.0.1:15000 inside each node namespace");
            }
        }
        System.out.println("Removed the namespaces, veths and processes the demo created.");
    }

    private static String describe(ClusterSpec spec) {
        StringBuilder out = new StringBuilder();
        spec.nodes().forEach((node, ip) -> {
            out.append(out.isEmpty() ? "" : " | ").append(node).append(' ').append(ip.getHostAddress()).append(':');
            spec.podsOn(node).forEach(p -> out.append(' ').append(p.key()).append(' ').append(p.ip().getHostAddress()));
        });
        return out.toString();
    }

    static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Numbered steps, one line each. */
    private record Narrator(int total, int[] done) {
        Narrator(int total) {
            this(total, new int[1]);
        }

        void step(String what, String text) {
            done[0]++;
            System.out.printf("[%d/%d] %-9s %s%n", done[0], total, what, text);
        }
    }
}
