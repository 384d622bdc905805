package dev.ambient.daemonset.cluster;

import dev.ambient.ztunnel.kube.KubeObjects;
import dev.ambient.ztunnel.net.IpLiteral;
import dev.ambient.ztunnel.state.Waypoint;
import dev.ambient.ztunnel.waypoints.WaypointGatewayParser;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The nodes and pods a local cluster is built from, read from the same mesh file the agents load.
 *
 * @param nodes node name to node address, in order of first appearance
 * @param pods the pods with an address and a node
 */
public record ClusterSpec(Map<String, InetAddress> nodes, List<PodSpec> pods) {

    /**
     * One pod: where it runs, the address it owns, whether it runs its own proxy (sidecar mode), and
     * whether it is a waypoint's pod (which runs the waypoint's proxy).
     */
    public record PodSpec(String namespace, String name, String node, InetAddress ip, boolean sidecar,
            boolean waypoint) {
        public String key() {
            return namespace + "/" + name;
        }
    }

    /** Node addresses not given by a Node's InternalIP are taken from here, in order: .11, .12, ... */
    public static final String NODE_NETWORK = "172.31.0.";

    public ClusterSpec {
        nodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        pods = List.copyOf(pods);
    }

    /**
     * Nodes are the file's {@code Node} objects (their InternalIP, when given, is the node's address)
     * and every {@code spec.nodeName} a pod names; when the file declares nodes, a pod naming another
     * node is an error, since that is a typo more often than a wish.
     */
    public static ClusterSpec of(KubeObjects objects) {
        Map<String, Optional<InetAddress>> declared = new LinkedHashMap<>();
        for (Node node : objects.nodes()) {
            String name = node.getMetadata() == null ? null : node.getMetadata().getName();
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a Node in the mesh file has no metadata.name");
            }
            declared.put(name, internalIp(node));
        }
        Set<String> nodeNames = new LinkedHashSet<>(declared.keySet());
        WaypointGatewayParser gateways = new WaypointGatewayParser();
        List<Waypoint> waypoints = objects.custom(WaypointGatewayParser.KIND).stream().map(gateways::parse)
                .filter(r -> r.isOk()).map(r -> r.value()).toList();
        List<PodSpec> pods = new ArrayList<>();
        for (Pod pod : objects.pods()) {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            Optional<InetAddress> address = IpLiteral.parse(ip);
            if (node == null || address.isEmpty() || Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
                continue; // the agent reports what is wrong with it; the cluster just has no such pod
            }
            String ns = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
            if (!declared.isEmpty() && !declared.containsKey(node)) {
                throw new IllegalArgumentException("Pod " + ns + "/" + pod.getMetadata().getName() + " is on node " + node
                        + ", which is not among the file's Nodes " + declared.keySet() + "; add a Node or fix spec.nodeName");
            }
            nodeNames.add(node);
            pods.add(new PodSpec(ns, pod.getMetadata().getName(), node, address.get(), sidecar(pod),
                    waypoints.stream().anyMatch(w -> w.namespace().equals(ns) && w.name().equals(
                            labels(pod).get(Waypoint.GATEWAY_NAME_LABEL)))));
        }
        Set<InetAddress> taken = new java.util.HashSet<>();
        declared.values().forEach(ip -> ip.ifPresent(taken::add));
        Map<String, InetAddress> nodes = new LinkedHashMap<>();
        int host = 11;
        for (String name : nodeNames) {
            Optional<InetAddress> given = declared.getOrDefault(name, Optional.empty());
            if (given.isPresent()) {
                nodes.put(name, given.get());
                continue;
            }
            InetAddress next;
            do {
                next = IpLiteral.parse(NODE_NETWORK + host++).orElseThrow();
            } while (taken.contains(next));
            taken.add(next);
            nodes.put(name, next);
        }
        return new ClusterSpec(nodes, pods);
    }

    private static Map<String, String> labels(Pod pod) {
        return pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    }

    private static boolean sidecar(Pod pod) {
        String key = dev.ambient.ztunnel.state.MeshLabels.SIDECAR_INJECT;
        var meta = pod.getMetadata();
        return "true".equals(meta.getLabels() == null ? null : meta.getLabels().get(key))
                || "true".equals(meta.getAnnotations() == null ? null : meta.getAnnotations().get(key));
    }

    private static Optional<InetAddress> internalIp(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return Optional.empty();
        }
        for (NodeAddress address : node.getStatus().getAddresses()) {
            if ("InternalIP".equals(address.getType())) {
                Optional<InetAddress> ip = IpLiteral.parse(address.getAddress());
                if (ip.isEmpty()) {
                    throw new IllegalArgumentException("Node " + node.getMetadata().getName() + ": InternalIP "
                            + address.getAddress() + " is not an IP address");
                }
                return ip;
            }
        }
        return Optional.empty();
    }

    public List<PodSpec> podsOn(String node) {
        return pods.stream().filter(p -> p.node().equals(node)).toList();
    }

    public PodSpec pod(String namespace, String name) {
        return pods.stream().filter(p -> p.namespace().equals(namespace) && p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pod " + namespace + "/" + name + " in the cluster"));
    }
}
