package dev.ambient.daemonset.demo;

import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.daemonset.cluster.EchoApp;
import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.daemonset.cluster.PacketCapture;
import dev.ambient.daemonset.cluster.WaypointPods;
import dev.ambient.daemonset.process.NodeProcess;
import dev.ambient.sys.Commands;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code mesh demo}: two nodes and five pods as network namespaces, a node agent per node (ztunnel
 * plus eBPF capture), applications that just connect to each other's pod IPs, and what the mesh did
 * with their traffic, step by step: capture, identities, the wire, plaintext from outside the mesh,
 * a policy, the label flipped off and on live, a waypoint reading HTTP for a namespace that needs L7,
 * the counters. Everything is removed at the end.
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
            System.err.println("mesh demo: needs root, to create network namespaces and load eBPF programs");
            System.exit(1);
        }
        LocalCluster.removeLeftovers();
        Commands.quietly("umount", work.resolve("bpffs").toString());
        deleteRecursively(work);
        Path bpffs = Files.createDirectories(work.resolve("bpffs"));
        Path mesh = work.resolve("mesh.yaml");
        String meshText = WaypointPods.complete(new String(DemoMain.class.getResourceAsStream("/demo/mesh.yaml")
                .readAllBytes(), StandardCharsets.UTF_8), mesh.toString());
        Files.writeString(mesh, meshText);
        Commands.run("mount", "-t", "bpf", "bpf", bpffs.toString());
        Narrator say = new Narrator(11);
        System.out.println("mesh demo: two nodes, five pods, a node agent per node (ztunnel + eBPF capture), a waypoint\n");
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(meshText, mesh.toString()));
        List<String> flags = List.of("--bpffs", bpffs.toString(), "--drain-timeout", "2s", "--pod-drain", "2s");
        try (LocalCluster cluster = LocalCluster.create(spec, "demo")) {
            say.step("cluster", describe(spec));
            long started = System.nanoTime();
            try (NodeProcess a = NodeProcess.startAgent("node-a", cluster.nodeNamespace("node-a"), mesh,
                    work.resolve("ca"), work.resolve("logs"), flags);
                    NodeProcess b = NodeProcess.startAgent("node-b", cluster.nodeNamespace("node-b"), mesh,
                            work.resolve("ca"), work.resolve("logs"), flags);
                    NetNamespace clientNs = cluster.openPod("demo", "client");
                    NetNamespace oldNs = cluster.openPod("legacy", "old");
                    EchoApp app = EchoApp.start(cluster.openPod("demo", "server"), APP_PORT);
                    NodeProcess wp = NodeProcess.startWaypoint("shop/wp-0", cluster.podNamespace("shop", "wp-0"), mesh,
                            work.resolve("ca"), work.resolve("logs"));
                    WebApp web = WebApp.start(cluster.openPod("shop", "web"), spec.pod("shop", "web").ip(), APP_PORT)) {
                a.awaitReady(15021, Duration.ofSeconds(60));
                b.awaitReady(15021, Duration.ofSeconds(60));
                wp.awaitReady(15021, Duration.ofSeconds(60));
                Thread.sleep(1000); // the first enrolment pass
                say.step("agents", "node-a and node-b ready in " + (System.nanoTime() - started) / 1_000_000
                        + " ms; namespace demo is labelled istio.io/dataplane-mode=ambient, so demo/client and "
                        + "demo/server are enrolled; legacy/old is not");
                InetSocketAddress server = new InetSocketAddress(spec.pod("demo", "server").ip(), APP_PORT);
                PodClient client = new PodClient("demo/client", clientNs);
                PodClient old = new PodClient("legacy/old", oldNs);

                PacketCapture wire = PacketCapture.start(cluster.nodeNamespace("node-a"), "eth0",
                        work.resolve("node-link.pcap"));
                String result = client.echo(server, 256 * 1024);
                PacketCapture.Summary link = wire.stop(APP_PORT, PodClient.MARKER);
                say.step("capture", result + "; the app connected straight to the pod IP, node-a's eBPF program "
                        + "handed it to ztunnel (" + Metrics.capture(a.get(15020, "/metrics"), "outbound_new")
                        + " captured), and the server saw the caller as " + app.lastClient().getHostAddress());
                say.step("identity", "node-b: " + Metrics.inbound(b.get(15020, "/metrics"),
                        "spiffe://cluster.local/ns/demo/sa/client"));
                say.step("the wire", link.toString());
                say.step("plaintext", old.echo(server, 4096) + "; legacy/old is outside the mesh, so node-b took "
                        + "its call at the inbound plaintext port, under PERMISSIVE mTLS and L4 policy");

                Files.writeString(mesh, meshText + DENY);
                Thread.sleep(1500);
                say.step("policy", "DENY for spiffe://cluster.local/ns/demo/sa/client added to the mesh file: "
                        + client.echo(server, 1024) + "; " + old.echo(server, 1024) + " (the policy names only client)");

                Files.writeString(mesh, meshText.replace("istio.io/dataplane-mode: ambient", "istio.io/dataplane-mode: none"));
                Thread.sleep(3500); // reload, drain, unenrol
                wire = PacketCapture.start(cluster.nodeNamespace("node-a"), "eth0", work.resolve("label-off.pcap"));
                result = client.echo(server, 4096);
                link = wire.stop(APP_PORT, PodClient.MARKER);
                say.step("label off", "namespace demo set to dataplane-mode=none: " + result + ", and now "
                        + (link.markerInClear() ? "its bytes cross the node link in clear, as without a mesh"
                                : "(unexpectedly) still tunnelled"));
                Files.writeString(mesh, meshText);
                Thread.sleep(2500);
                wire = PacketCapture.start(cluster.nodeNamespace("node-a"), "eth0", work.resolve("label-on.pcap"));
                result = client.echo(server, 4096);
                link = wire.stop(APP_PORT, PodClient.MARKER);
                say.step("label on", "label back to ambient: " + result + ", "
                        + (link.markerInClear() ? "(unexpectedly) in clear" : "tunnelled again, nothing in clear"));
                say.step("waypoint", waypoint(clientNs, spec.pod("shop", "wp-0")) + "; its istio_requests_total: "
                        + Metrics.requests(wp.get(15020, "/metrics")));
                String ma = a.get(15020, "/metrics");
                String mb = b.get(15020, "/metrics");
                say.step("counters", "node-a captured " + Metrics.capture(ma, "outbound_new") + " outbound, node-b "
                        + Metrics.capture(mb, "hbone_new") + " HBONE and " + Metrics.capture(mb, "inbound_new")
                        + " plaintext; dropped for lack of a listener: "
                        + (Metrics.capture(ma, "no_listener") + Metrics.capture(mb, "no_listener")));
                System.out.println("\nAgent logs (one access-log line per connection): " + work.resolve("logs"));
            }
        } finally {
            Commands.quietly("umount", bpffs.toString());
        }
        System.out.println("Removed the namespaces, veths, eBPF programs and processes the demo created.");
    }

    /** Two calls from demo/client to shop's service, which only its waypoint answers at L7. */
    private static String waypoint(NetNamespace client, ClusterSpec.PodSpec wp) throws Exception {
        InetSocketAddress web = new InetSocketAddress(InetAddress.getByName("10.96.0.30"), 80);
        PodHttp.Response get = PodHttp.call(client, web, "GET", "/items", "web.shop");
        PodHttp.Response post = PodHttp.call(client, web, "POST", "//admin/../admin", "web.shop");
        return "namespace shop uses waypoint wp, whose pod " + wp.key() + " (" + wp.ip().getHostAddress()
                + ") the cluster added: demo/client → web.shop:80 GET /items " + get.status() + " (the app saw "
                + get.body().substring(get.body().indexOf("traceparent=")) + ", started by the waypoint), POST "
                + "//admin/../admin " + post.status() + " \"" + post.body() + "\" (the waypoint normalized the path"
                + " to /admin and its L7 policy denied it)";
    }

    private static String describe(ClusterSpec spec) {
        StringBuilder out = new StringBuilder();
        spec.nodes().forEach((node, ip) -> {
            out.append(out.isEmpty() ? "" : " | ").append(node).append(' ').append(ip.getHostAddress()).append(':');
            spec.podsOn(node).forEach(p -> out.append(' ').append(p.key()).append(' ').append(p.ip().getHostAddress()));
        });
        return out.toString();
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
            System.out.printf("[%d/%d] %-10s %s%n", done[0], total, what, text);
        }
    }
}
