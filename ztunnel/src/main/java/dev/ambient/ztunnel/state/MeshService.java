package dev.ambient.ztunnel.state;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes Service: a VIP and ports in front of the pods its selector picks.
 *
 * @param name service name
 * @param namespace service namespace
 * @param vip the cluster IP
 * @param ports its ports
 * @param selector pod labels that make a pod an endpoint
 * @param labels the service's own labels ({@code istio.io/use-waypoint})
 */
public record MeshService(
        String name, String namespace, InetAddress vip, List<ServicePort> ports, Map<String, String> selector,
        Map<String, String> labels) {

    public MeshService {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(vip, "vip");
        ports = List.copyOf(ports);
        selector = Map.copyOf(selector);
        labels = Map.copyOf(labels);
    }

    /** A service without labels of its own. */
    public MeshService(String name, String namespace, InetAddress vip, List<ServicePort> ports,
            Map<String, String> selector) {
        this(name, namespace, vip, ports, selector, Map.of());
    }

    public String key() {
        return namespace + "/" + name;
    }

    /** {@code name.namespace.svc.<clusterDomain>}, the name Istio reports as destination_service. */
    public String hostname(String clusterDomain) {
        return name + "." + namespace + ".svc." + clusterDomain;
    }

    public Optional<ServicePort> port(int port) {
        return ports.stream().filter(p -> p.port() == port).findFirst();
    }

    /** Whether {@code workload} is one of this service's endpoints (ready or not). */
    public boolean selects(Workload workload) {
        return !selector.isEmpty()
                && workload.namespace().equals(namespace)
                && workload.labels().entrySet().containsAll(selector.entrySet());
    }
}
