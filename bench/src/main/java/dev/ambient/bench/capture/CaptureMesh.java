package dev.ambient.bench.capture;

import dev.ambient.bench.Scenario;
import java.util.List;
import java.util.Map;

/**
 * The cluster of the capture benchmark, as the mesh file its agents read. Four nodes built alike:
 * node-a and node-b run agents; node-c and node-d never do, so the baseline without any program can
 * be measured between them while the agents run (pinned links outlive a stopped agent, so the agents
 * cannot simply be stopped for it). Namespace {@code mesh} is enrolled; {@code plain} and {@code bare}
 * are not; {@code flip} is the one whose label the benchmark turns on and off.
 */
public final class CaptureMesh {

    /** The port every server pod's application listens on. */
    public static final int APP_PORT = 8080;
    /** The nodes that run an agent. */
    public static final List<String> AGENT_NODES = List.of("node-a", "node-b");

    /** One pod of the cluster. */
    public record Pod(String namespace, String name, String node, String ip) {
        public String key() {
            return namespace + "/" + name;
        }
    }

    /** Who calls whom in a scenario. */
    public record Pair(Pod client, Pod server) {
        @Override
        public String toString() {
            return client.key() + " (" + client.node() + ") → " + server.key() + " (" + server.node() + ")";
        }
    }

    public static final Pod MESH_CLIENT = new Pod("mesh", "client", "node-a", "10.240.1.2");
    public static final Pod PLAIN_CLIENT = new Pod("plain", "client", "node-a", "10.240.1.3");
    public static final Pod FLIP_CLIENT = new Pod("flip", "client", "node-a", "10.240.1.4");
    public static final Pod MESH_SERVER = new Pod("mesh", "server", "node-b", "10.240.2.2");
    public static final Pod PLAIN_SERVER = new Pod("plain", "server", "node-b", "10.240.2.3");
    public static final Pod BARE_CLIENT = new Pod("bare", "client", "node-c", "10.240.3.2");
    public static final Pod BARE_SERVER = new Pod("bare", "server", "node-d", "10.240.4.2");

    /** Every pod, in the order the cluster is built (which also orders the nodes: node-a first). */
    public static final List<Pod> PODS = List.of(MESH_CLIENT, PLAIN_CLIENT, FLIP_CLIENT, MESH_SERVER, PLAIN_SERVER,
            BARE_CLIENT, BARE_SERVER);
    /** The pods an application server runs in. */
    public static final List<Pod> SERVERS = List.of(MESH_SERVER, PLAIN_SERVER, BARE_SERVER);

    private static final Map<Scenario, Pair> PAIRS = Map.of(
            Scenario.NETNS_DIRECT, new Pair(BARE_CLIENT, BARE_SERVER),
            Scenario.NETNS_DIRECT_ATTACHED, new Pair(PLAIN_CLIENT, PLAIN_SERVER),
            Scenario.CAPTURE_PASSTHROUGH, new Pair(MESH_CLIENT, PLAIN_SERVER),
            Scenario.CAPTURE_HBONE, new Pair(MESH_CLIENT, MESH_SERVER));

    private CaptureMesh() {}

    /** The client and server pod of a capture scenario. */
    public static Pair pair(Scenario scenario) {
        Pair pair = PAIRS.get(scenario);
        if (pair == null) {
            throw new IllegalArgumentException("BUG: " + scenario.label() + " is not a capture scenario");
        }
        return pair;
    }

    /**
     * The mesh file, with namespace {@code flip} labelled {@code istio.io/dataplane-mode: ambient}
     * when {@code flipEnrolled}, and without the label otherwise.
     */
    public static String yaml(boolean flipEnrolled) {
        StringBuilder out = new StringBuilder();
        namespace(out, "mesh", true);
        namespace(out, "plain", false);
        namespace(out, "bare", false);
        namespace(out, "flip", flipEnrolled);
        for (Pod pod : PODS) {
            out.append("---\napiVersion: v1\nkind: Pod\nmetadata: {name: ").append(pod.name()).append(", namespace: ")
                    .append(pod.namespace()).append("}\nspec: {serviceAccountName: ").append(pod.name())
                    .append(", nodeName: ").append(pod.node()).append("}\nstatus: {podIP: ").append(pod.ip())
                    .append("}\n");
        }
        return out.toString();
    }

    private static void namespace(StringBuilder out, String name, boolean ambient) {
        out.append(out.isEmpty() ? "" : "---\n").append("apiVersion: v1\nkind: Namespace\nmetadata: {name: ")
                .append(name).append(ambient ? ", labels: {istio.io/dataplane-mode: ambient}" : "").append("}\n");
    }
}
