package dev.ambient.daemonset.cluster;

import dev.ambient.ztunnel.kube.KubeObjects;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.net.IpLiteral;
import dev.ambient.ztunnel.state.Waypoint;
import dev.ambient.ztunnel.waypoints.WaypointGatewayParser;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Istio's control plane does for a waypoint {@code Gateway} (deploy its proxy), done for a local
 * cluster: every waypoint the mesh file declares without a pod gets one, {@code <gateway>-0} in the
 * Gateway's namespace, with the service account named after the Gateway, on the file's first node, at
 * the next address of {@value #NETWORK}0/24 no pod of the file holds. Its proxy is then started like
 * any waypoint pod's, and the agents see it in the completed mesh file.
 */
public final class WaypointPods {

    /** The addresses given to waypoint pods the file does not declare. */
    public static final String NETWORK = "10.254.0.";

    private static final int FIRST_HOST = 10;

    private WaypointPods() {}

    /** {@code meshText} with a Pod document appended for each waypoint without a pod; unchanged when none lacks one. */
    public static String complete(String meshText, String source) {
        KubeObjects objects = new MeshFileParser().parse(meshText, source);
        List<String> docs = missing(objects);
        if (docs.isEmpty()) {
            return meshText;
        }
        StringBuilder out = new StringBuilder(meshText.stripTrailing());
        for (String doc : docs) {
            out.append("\n---\n# added by the local cluster: a pod for a waypoint the file declares without one\n")
                    .append(doc);
        }
        return out.append('\n').toString();
    }

    static List<String> missing(KubeObjects objects) {
        WaypointGatewayParser gateways = new WaypointGatewayParser();
        List<Waypoint> waypoints = objects.custom(WaypointGatewayParser.KIND).stream().map(gateways::parse)
                .filter(r -> r.isOk()).map(r -> r.value()).toList();
        Optional<String> node = firstNode(objects);
        if (waypoints.isEmpty() || node.isEmpty()) {
            return List.of();
        }
        Set<String> taken = new LinkedHashSet<>();
        Set<String> served = new LinkedHashSet<>();
        for (Pod pod : objects.pods()) {
            if (pod.getStatus() != null && pod.getStatus().getPodIP() != null) {
                taken.add(pod.getStatus().getPodIP());
            }
            Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
            String ns = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
            Optional.ofNullable(labels.get(Waypoint.GATEWAY_NAME_LABEL)).ifPresent(gw -> served.add(ns + "/" + gw));
        }
        List<String> docs = new ArrayList<>();
        int host = FIRST_HOST;
        for (Waypoint w : waypoints) {
            if (served.contains(w.key())) {
                continue;
            }
            while (taken.contains(NETWORK + host)) {
                host++;
            }
            if (host > 254 || IpLiteral.parse(NETWORK + host).isEmpty()) {
                throw new IllegalArgumentException("no address left in " + NETWORK + "0/24 for the pod of waypoint "
                        + w.key());
            }
            taken.add(NETWORK + host);
            docs.add("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: %1$s-0, namespace: %2$s, labels: {%3$s: %1$s}}
                    spec: {serviceAccountName: %1$s, nodeName: %4$s}
                    status: {podIP: %5$s}
                    """.formatted(w.name(), w.namespace(), Waypoint.GATEWAY_NAME_LABEL, node.get(), NETWORK + host));
        }
        return docs;
    }

    /** The first node the file names: its first Node object, else the first pod's node. */
    private static Optional<String> firstNode(KubeObjects objects) {
        for (Node n : objects.nodes()) {
            if (n.getMetadata() != null && n.getMetadata().getName() != null) {
                return Optional.of(n.getMetadata().getName());
            }
        }
        return objects.pods().stream().filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null)
                .map(p -> p.getSpec().getNodeName()).findFirst();
    }
}
