package dev.ambient.daemonset.ca;

import dev.ambient.daemonset.incluster.ClusterState;
import dev.ambient.ztunnel.identity.CaException;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.StateStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Set;

/**
 * The CA as its Deployment runs it ({@code mesh ca --kubernetes}): the root from a Secret of its
 * namespace (made on first start), its certificate published in ConfigMap {@code ambient-ca-root}
 * there and in every namespace of the mesh, callers reviewed by the API server (TokenReview), and
 * where pods run read from the API server, so a node agent obtains only its own node's identities.
 */
public final class KubernetesCa implements AutoCloseable {

    /** The ConfigMap holding the root certificate, in the CA's namespace and every namespace of the mesh. */
    public static final String ROOT_CONFIG_MAP = "ambient-ca-root";

    private final CaServer server;
    private final ClusterState pods;

    private KubernetesCa(CaServer server, ClusterState pods) {
        this.server = server;
        this.pods = pods;
    }

    /**
     * Loads or makes the root, starts following the cluster and serves on {@code bind}. A Secret that
     * holds a bad root stops it here, naming the Secret.
     */
    public static KubernetesCa start(KubernetesClient client, String namespace, String rootSecret, String trustDomain,
            InetSocketAddress bind, SpiffeId identity, Set<String> nodeAgents) throws IOException, CaException {
        EmbeddedCa ca = CaSecret.loadOrCreate(client, namespace, rootSecret, trustDomain, Clock.systemUTC());
        CaSecret.publishRoot(client, namespace, ROOT_CONFIG_MAP, ca);
        StateStore store = new StateStore(MeshSnapshot.empty("cluster.local"));
        store.addListener(new RootPublisher(client, ROOT_CONFIG_MAP, ca));
        ClusterState pods = ClusterState.follow(client, store, snapshots(trustDomain));
        try {
            CaServer server = CaServer.start(bind, ca, identity, new KubernetesTokenReviewer(client),
                    new IdentityPolicy(trustDomain, nodeAgents, store::current));
            return new KubernetesCa(server, pods);
        } catch (IOException | CaException | RuntimeException e) {
            pods.close();
            throw e;
        }
    }

    /** How the CA, in either mode, reads where pods run: the proxies' snapshot builder, Istio's defaults. */
    static SnapshotBuilder snapshots(String trustDomain) {
        return new SnapshotBuilder(trustDomain, "istio-system", "cluster.local", Clock.systemUTC());
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        pods.close();
    }
}
