package dev.ambient.ztunnel.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;

/**
 * The Kubernetes objects the data plane reads, however they were obtained (a mesh file or the API
 * server). Both sources end here, so one code path turns them into state.
 *
 * @param namespaces namespaces with their labels
 * @param nodes nodes (the local cluster takes their InternalIP as the node address)
 * @param pods pods
 * @param services services
 * @param custom resources without a typed model here (Istio AuthorizationPolicy and friends)
 * @param rejected one line per object already rejected while reading, naming it
 */
public record KubeObjects(
        List<Namespace> namespaces,
        List<Node> nodes,
        List<Pod> pods,
        List<Service> services,
        List<GenericKubernetesResource> custom,
        List<String> rejected) {

    public KubeObjects {
        namespaces = List.copyOf(namespaces);
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
        services = List.copyOf(services);
        custom = List.copyOf(custom);
        rejected = List.copyOf(rejected);
    }

    /** Custom resources of one kind. */
    public List<GenericKubernetesResource> custom(String kind) {
        return custom.stream().filter(r -> kind.equals(r.getKind())).toList();
    }
}
