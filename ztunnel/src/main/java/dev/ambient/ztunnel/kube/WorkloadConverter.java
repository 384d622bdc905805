package dev.ambient.ztunnel.kube;

import dev.ambient.ztunnel.net.IpLiteral;
import dev.ambient.ztunnel.state.MeshLabels;
import dev.ambient.ztunnel.state.MeshNamespace;
import dev.ambient.ztunnel.state.TunnelProtocol;
import dev.ambient.ztunnel.state.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Turns a Pod into a {@link Workload}, or into the reasons it cannot be one. */
final class WorkloadConverter {

    private final String trustDomain;

    WorkloadConverter(String trustDomain) {
        this.trustDomain = Objects.requireNonNull(trustDomain, "trustDomain");
    }

    /** The workload, or errors naming the pod and the field; {@code namespaces} decides enrolment. */
    Converted<Workload> convert(Pod pod, Map<String, MeshNamespace> namespaces) {
        String namespace = KubeNames.namespace(pod.getMetadata());
        String name = KubeNames.name(pod.getMetadata());
        String what = "Pod " + namespace + "/" + name;
        List<String> errors = new ArrayList<>();
        if (name.isEmpty()) {
            errors.add(what + ": metadata.name is required");
        }
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node == null || node.isBlank()) {
            errors.add(what + ": spec.nodeName is required (the node that serves this pod)");
        }
        String podIp = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        Optional<InetAddress> ip = IpLiteral.parse(podIp);
        if (podIp == null || podIp.isBlank()) {
            errors.add(what + ": status.podIP is required");
        } else if (ip.isEmpty()) {
            errors.add(what + ": status.podIP \"" + podIp + "\" is not an IP address");
        }
        String serviceAccount = pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
        if (serviceAccount == null || serviceAccount.isBlank()) {
            serviceAccount = "default";
        } else if (!serviceAccount.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            errors.add(what + ": spec.serviceAccountName \"" + serviceAccount + "\" is not a valid name");
        }
        if (!errors.isEmpty()) {
            return Converted.rejected(errors);
        }
        Map<String, String> labels = KubeNames.labels(pod.getMetadata());
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        MeshNamespace ns = namespaces.getOrDefault(namespace, new MeshNamespace(namespace, Map.of()));
        boolean sidecar = "true".equals(labels.get(MeshLabels.SIDECAR_INJECT)) || "true".equals(
                pod.getMetadata().getAnnotations() == null ? null
                        : pod.getMetadata().getAnnotations().get(MeshLabels.SIDECAR_INJECT));
        TunnelProtocol protocol = sidecar && !hostNetwork ? TunnelProtocol.HBONE : protocol(ns, labels, hostNetwork);
        return Converted.ok(new Workload(name, namespace, serviceAccount, node, ip.orElseThrow(), labels,
                namedPorts(pod), ready(pod), protocol, hostNetwork, sidecar && !hostNetwork, trustDomain));
    }

    /** Pod label wins over namespace label; host-network pods are never enrolled (they are the node). */
    static TunnelProtocol protocol(MeshNamespace namespace, Map<String, String> podLabels, boolean hostNetwork) {
        if (hostNetwork) {
            return TunnelProtocol.NONE;
        }
        String podMode = podLabels.get(MeshLabels.DATAPLANE_MODE);
        if (podMode != null) {
            return MeshLabels.MODE_AMBIENT.equals(podMode) ? TunnelProtocol.HBONE : TunnelProtocol.NONE;
        }
        return namespace.ambient() ? TunnelProtocol.HBONE : TunnelProtocol.NONE;
    }

    /** A pod without conditions counts as ready, so a hand-written mesh file need not spell them out. */
    private static boolean ready(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null
                || pod.getStatus().getConditions().isEmpty()) {
            return true;
        }
        for (PodCondition condition : pod.getStatus().getConditions()) {
            if ("Ready".equals(condition.getType())) {
                return "True".equals(condition.getStatus());
            }
        }
        return false;
    }

    private static Map<String, Integer> namedPorts(Pod pod) {
        Map<String, Integer> ports = new HashMap<>();
        List<Container> containers = pod.getSpec().getContainers();
        if (containers == null) {
            return ports;
        }
        for (Container container : containers) {
            if (container.getPorts() == null) {
                continue;
            }
            for (ContainerPort port : container.getPorts()) {
                if (port.getName() != null && port.getContainerPort() != null) {
                    ports.putIfAbsent(port.getName(), port.getContainerPort());
                }
            }
        }
        return ports;
    }
}
