package dev.ambient.daemonset.ca;

import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.state.MeshNamespace;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Waypoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Puts the CA root in a ConfigMap of every namespace in the mesh (labelled ambient, or holding a
 * waypoint), as istiod does with {@code istio-ca-root-cert}: a waypoint's pod mounts it from its own
 * namespace, since a pod cannot mount a ConfigMap of another. Called with each new snapshot; a
 * namespace that could not be written is tried again with the next one.
 */
final class RootPublisher implements BiConsumer<MeshSnapshot, MeshSnapshot> {

    private static final Logger LOG = System.getLogger(RootPublisher.class.getName());

    private final KubernetesClient client;
    private final String name;
    private final EmbeddedCa ca;
    private final Set<String> published = ConcurrentHashMap.newKeySet();

    RootPublisher(KubernetesClient client, String name, EmbeddedCa ca) {
        this.client = client;
        this.name = name;
        this.ca = ca;
    }

    /** The namespaces whose pods need the root: those in the mesh and those of waypoints. */
    static Set<String> namespacesOf(MeshSnapshot snapshot) {
        Set<String> out = new TreeSet<>();
        snapshot.namespaces().values().stream().filter(MeshNamespace::ambient).map(MeshNamespace::name)
                .forEach(out::add);
        snapshot.waypoints().stream().map(Waypoint::namespace).forEach(out::add);
        return out;
    }

    @Override
    public void accept(MeshSnapshot previous, MeshSnapshot next) {
        for (String namespace : namespacesOf(next)) {
            if (published.contains(namespace)) {
                continue;
            }
            try {
                CaSecret.publishRoot(client, namespace, name, ca);
                published.add(namespace);
            } catch (KubernetesClientException e) {
                LOG.log(Level.WARNING, "cannot publish the CA root in ConfigMap " + namespace + "/" + name + " (HTTP "
                        + e.getCode() + (e.getCode() == 403 ? ": RBAC must let the CA create and update configmaps"
                        : "") + "); waypoint pods there cannot start until it can: " + e.getMessage());
            }
        }
    }
}
