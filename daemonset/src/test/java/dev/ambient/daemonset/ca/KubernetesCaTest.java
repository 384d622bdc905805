package dev.ambient.daemonset.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.cluster.TwoPodMesh;
import dev.ambient.ztunnel.ca.GrpcCaClient;
import dev.ambient.ztunnel.identity.Csr;
import dev.ambient.ztunnel.identity.Pem;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.identity.TrustBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code mesh ca --kubernetes} as its Deployment runs it, against the mock API server (CRUD, with
 * TokenReview answering for node-a's agent): the root is made once in a Secret and published for the
 * agents and in the mesh's namespaces; node-a's agent obtains the identity of node-a's pod and not
 * that of node-b's; a restarted CA serves the same root.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KubernetesCaTest {

    private static final SpiffeId CA_ID = SpiffeId.of("cluster.local", "ambient-system", "ambient-ca");
    private static final SpiffeId CLIENT = SpiffeId.of("cluster.local", "demo", "client");
    private static final SpiffeId SERVER = SpiffeId.of("cluster.local", "demo", "server");

    static KubernetesMockServer server;
    static KubernetesClient client;

    private static KubernetesCa start() throws Exception {
        return KubernetesCa.start(client, "ambient-system", "ambient-ca-root", "cluster.local",
                new InetSocketAddress("127.0.0.1", 0), CA_ID, Set.of("ambient-system/ztunnel"));
    }

    /** The root as an agent gets it: from the ConfigMap mounted from the CA's namespace. */
    private static String publishedRoot(String namespace) {
        ConfigMap map = client.configMaps().inNamespace(namespace).withName(KubernetesCa.ROOT_CONFIG_MAP).get();
        return map == null ? null : map.getData().get("root-cert.pem");
    }

    @Test
    void signsForTheCallersNodeFromTheClusterAndKeepsItsRoot() throws Exception {
        for (HasMetadata object : client.load(new ByteArrayInputStream(TwoPodMesh.YAML.getBytes(StandardCharsets.UTF_8)))
                .items()) {
            client.resource(object).create();
        }
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReturn(201,
                new TokenReviewBuilder().withNewStatus().withAuthenticated(true).withNewUser()
                        .withUsername("system:serviceaccount:ambient-system:ztunnel")
                        .withExtra(Map.of(KubernetesTokenReviewer.NODE_NAME, List.of("node-a"))).endUser().endStatus()
                        .build()).always();
        ExecutorService executor = Executors.newCachedThreadPool();
        String root;
        try (KubernetesCa ca = start()) {
            root = publishedRoot("ambient-system");
            TrustBundle bundle = TrustBundle.of("cluster.local", Pem.decodeCertificates(root));
            try (GrpcCaClient agent = new GrpcCaClient("127.0.0.1:" + ca.port(), bundle, CA_ID, () -> "agent-a-token",
                    Duration.ofSeconds(5), executor)) {
                List<X509Certificate> chain = signWhenListed(agent, CLIENT);
                chain.get(0).verify(bundle.roots("cluster.local").get(0).getPublicKey());
                assertEquals(List.of(List.of(6, CLIENT.toString())), chain.get(0).getSubjectAlternativeNames().stream()
                        .map(List::copyOf).toList(), "exactly the pod's identity");
                String refused = refusal(agent, SERVER);
                assertTrue(refused.contains("PERMISSION_DENIED") && refused.contains("node-a"), refused);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (publishedRoot("demo") == null && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(root, publishedRoot("demo"), "the root is published in the mesh's namespace too");
        }
        try (KubernetesCa again = start()) {
            assertEquals(root, publishedRoot("ambient-system"), "a restarted CA keeps the root from its Secret");
            TrustBundle bundle = TrustBundle.of("cluster.local", Pem.decodeCertificates(root));
            try (GrpcCaClient agent = new GrpcCaClient("127.0.0.1:" + again.port(), bundle, CA_ID,
                    () -> "agent-a-token", Duration.ofSeconds(5), executor)) {
                signWhenListed(agent, CLIENT);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    /** Signs {@code identity}, retrying while the CA has not yet listed the pods. */
    private static List<X509Certificate> signWhenListed(GrpcCaClient agent, SpiffeId identity) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return agent.sign(identity, Csr.generate(identity).pem(), Duration.ofHours(1)).join();
            } catch (CompletionException e) {
                if (System.nanoTime() > deadline || !e.getMessage().contains("no pod with identity")) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static String refusal(GrpcCaClient agent, SpiffeId identity) throws Exception {
        try {
            agent.sign(identity, Csr.generate(identity).pem(), Duration.ofHours(1)).join();
            throw new AssertionError("signed " + identity + " for node-a's agent");
        } catch (CompletionException e) {
            return e.getCause().getMessage();
        }
    }
}
