package dev.ambient.bench.pods;

import dev.ambient.bench.Scenario;
import dev.ambient.ztunnel.state.MeshLabels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Who runs where in a pod benchmark cluster, and the mesh file that says so. Every mode gets its own
 * namespace (named after it) and its own two nodes: client pods on {@code <mode>-a}, server pods on
 * {@code <mode>-b}, so that a node's mesh processes are exactly one mode's and its memory can be read
 * per node. Client pod i calls server pod i (through the waypoint's service, where the group has a
 * {@link PodWaypoint}). Only the ambient namespaces are enrolled, only their nodes run an agent, only
 * the sidecar pods are marked for our sidecar; the C proxies' pods are plain pods to the mesh.
 *
 * @param groups one per mode, in the order the cluster is built
 */
public record PodLayout(List<Group> groups) {

    /** The port every server pod's application listens on. */
    public static final int APP_PORT = 8080;

    /**
     * One mode's share of the cluster.
     *
     * @param mode the scenario this group serves
     * @param index its place in the layout, which picks its addresses
     * @param pairs client and server pods
     */
    public record Group(Scenario mode, int index, int pairs) {

        public Group {
            Objects.requireNonNull(mode, "mode");
            if (pairs < 1 || pairs > 200) {
                throw new IllegalArgumentException("pairs must be 1 to 200, got " + pairs);
            }
        }

        public String namespace() {
            return mode.label();
        }

        public String clientNode() {
            return mode.label() + "-a";
        }

        public String serverNode() {
            return mode.label() + "-b";
        }

        public Pod client(int i) {
            return new Pod(namespace(), "client-" + i, "client", clientNode(), address(1, i));
        }

        public Pod server(int i) {
            return new Pod(namespace(), "server-" + i, "server", serverNode(), address(2, i));
        }

        /** Whether node agents enrol this group's pods: ambient, with or without a waypoint. */
        public boolean ambient() {
            return mode == Scenario.AMBIENT || waypoint().isPresent();
        }

        /** The waypoint of the server namespace, for the mode that has one. */
        public Optional<PodWaypoint> waypoint() {
            return mode == Scenario.AMBIENT_WAYPOINT ? Optional.of(new PodWaypoint(this)) : Optional.empty();
        }

        /** 10.{60 + index}.{side}.{i + 2}, then into the next /24 after 250 pods of a side. */
        String address(int side, int i) {
            return "10." + (60 + index) + "." + (side + 2 * (i / 250)) + "." + (i % 250 + 2);
        }
    }

    /** One pod. */
    public record Pod(String namespace, String name, String serviceAccount, String node, String ip) {
        public String key() {
            return namespace + "/" + name;
        }
    }

    public PodLayout {
        groups = List.copyOf(groups);
    }

    /** One group per scenario, each of {@code pairs} pairs. */
    public static PodLayout of(List<Scenario> modes, int pairs) {
        List<Group> groups = new ArrayList<>();
        for (Scenario mode : modes) {
            groups.add(new Group(mode, groups.size(), pairs));
        }
        return new PodLayout(groups);
    }

    public Group group(Scenario mode) {
        return groups.stream().filter(g -> g.mode() == mode).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("BUG: no group for " + mode.label()));
    }

    /** The mesh file with every pod. */
    public String yaml() {
        return yaml(Group::pairs);
    }

    /**
     * The mesh file with, in each ambient group, only the first {@code ambientPairs} of its pairs: the
     * others do not exist yet as far as the agents know (as if not yet scheduled). A waypoint and its
     * service are always there, as they are deployed before the pods that use them.
     */
    public String yaml(ToIntFunction<Group> ambientPairs) {
        StringBuilder out = new StringBuilder();
        for (Group g : groups) {
            String labels = g.waypoint().map(w -> ", " + MeshLabels.USE_WAYPOINT + ": " + PodWaypoint.NAME).orElse("");
            out.append(out.isEmpty() ? "" : "---\n").append("apiVersion: v1\nkind: Namespace\nmetadata: {name: ")
                    .append(g.namespace())
                    .append(g.ambient() ? ", labels: {" + MeshLabels.DATAPLANE_MODE + ": ambient" + labels + "}" : "")
                    .append("}\n");
            g.waypoint().ifPresent(w -> out.append(w.yaml()));
            int pairs = g.ambient() ? Math.min(ambientPairs.applyAsInt(g), g.pairs()) : g.pairs();
            for (int i = 0; i < pairs; i++) {
                pod(out, g.client(i), g.mode() == Scenario.SIDECAR ? sidecarLabel() : "");
                pod(out, g.server(i), g.mode() == Scenario.SIDECAR ? sidecarLabel() : "app: server");
            }
        }
        return out.toString();
    }

    private static String sidecarLabel() {
        return MeshLabels.SIDECAR_INJECT + ": \"true\"";
    }

    /** A pod with {@code labels} ("key: value, ..."; none when empty). */
    static void pod(StringBuilder out, Pod pod, String labels) {
        out.append("---\napiVersion: v1\nkind: Pod\nmetadata: {name: ").append(pod.name()).append(", namespace: ")
                .append(pod.namespace());
        if (!labels.isEmpty()) {
            out.append(", labels: {").append(labels).append("}");
        }
        out.append("}\nspec: {serviceAccountName: ").append(pod.serviceAccount()).append(", nodeName: ")
                .append(pod.node()).append("}\nstatus: {podIP: ").append(pod.ip()).append("}\n");
    }
}
