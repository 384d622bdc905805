package dev.ambient.daemonset.cluster;

import dev.ambient.ztunnel.kube.KubeObjects;
import dev.ambient.ztunnel.net.IpLiteral;
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
 * The nodes and pods a local cluster is built from, read from the same mesh file the agents load:
 * nodes are the pods' {@code spec.nodeName}s, each pod gets its {@code status.podIP}.
 *
 * @param nodes node name to node address, in order of first appearance
 * @param pods the pods with an address and a node
 */
public record ClusterSpec(Map<String, InetAddress> nodes, List<PodSpec> pods) {

    /** One pod: where it runs and the address it owns. */
    public record PodSpec(String namespace, String name, String node, InetAddress ip) {
        public String key() {
            return namespace + "/" + name;
        }
    }

    /** Node addresses are given out from this /24, in order: .11, .12, ... */
    public static final String NODE_NETWORK = "172.31.0.";

    public ClusterSpec {
        nodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        pods = List.copyOf(pods);
    }

    public static ClusterSpec of(KubeObjects objects) {
        Set<String> nodeNames = new LinkedHashSet<>();
        List<PodSpec> pods = new ArrayList<>();
        for (Pod pod : objects.pods()) {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            Optional<InetAddress> address = IpLiteral.parse(ip);
            if (node == null || address.isEmpty() || Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
                continue; // the agent reports what is wrong with it; the cluster just has no such pod
            }
            nodeNames.add(node);
            String ns = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
            pods.add(new PodSpec(ns, pod.getMetadata().getName(), node, address.get()));
        }
        Map<String, InetAddress> nodes = new LinkedHashMap<>();
        int host = 11;
        for (String name : nodeNames) {
            nodes.put(name, IpLiteral.parse(NODE_NETWORK + host++).orElseThrow());
        }
        return new ClusterSpec(nodes, pods);
    }

    public List<PodSpec> podsOn(String node) {
        return pods.stream().filter(p -> p.node().equals(node)).toList();
    }

    public PodSpec pod(String namespace, String name) {
        return pods.stream().filter(p -> p.namespace().equals(namespace) && p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pod " + namespace + "/" + name + " in the cluster"));
    }
}
