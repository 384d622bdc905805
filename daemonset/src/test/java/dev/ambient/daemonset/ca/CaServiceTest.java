package dev.ambient.daemonset.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.ca.GrpcCaClient;
import dev.ambient.ztunnel.identity.CertificateManager;
import dev.ambient.ztunnel.identity.Csr;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.identity.WorkloadCertificate;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.state.MeshSnapshot;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CA service over gRPC and TLS, with the node agent's client: a pod of the caller's node gets
 * exactly its identity; another node's pod, a CSR with two SANs, a CSR naming another identity and a
 * bad token are each refused with a status that says why; and a certificate manager keeps its valid
 * certificate while the CA is down and renews once it is back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CaServiceTest {

    private static final String MESH = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: shop}
            spec: {serviceAccountName: a, nodeName: node-a}
            status: {podIP: 10.240.1.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: shop}
            spec: {serviceAccountName: b, nodeName: node-b}
            status: {podIP: 10.240.2.2}
            """;
    private static final SpiffeId CA_ID = SpiffeId.of("cluster.local", "ambient-system", "ambient-ca");
    private static final SpiffeId POD_A = SpiffeId.of("cluster.local", "shop", "a");
    private static final SpiffeId POD_B = SpiffeId.of("cluster.local", "shop", "b");
    private static final Map<String, Caller> TOKENS = Map.of(
            "agent-a", new Caller("ambient-system", "ztunnel", Optional.of("node-a")),
            "pod-a", new Caller("shop", "a", Optional.of("node-a")));

    private final EmbeddedCa ca = EmbeddedCa.generate("cluster.local", Clock.systemUTC());
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private CaServer server;

    @BeforeEach
    void start() throws Exception {
        server = start(0);
    }

    private CaServer start(int port) throws Exception {
        MeshSnapshot pods = new SnapshotBuilder("cluster.local", "istio-system", "cluster.local", Clock.systemUTC())
                .build(1, new MeshFileParser().parse(MESH, "m.yaml"));
        return CaServer.start(new InetSocketAddress("127.0.0.1", port), ca, CA_ID,
                token -> Optional.ofNullable(TOKENS.get(token)),
                new IdentityPolicy("cluster.local", Set.of("ambient-system/ztunnel"), () -> pods));
    }

    @AfterEach
    void stop() {
        server.close();
        executor.shutdownNow();
    }

    private GrpcCaClient client(String token) {
        return new GrpcCaClient("127.0.0.1:" + server.port(), ca.bundle(), CA_ID, () -> token, Duration.ofSeconds(5),
                executor);
    }

    private static String refusal(GrpcCaClient client, SpiffeId identity, String csr) {
        try {
            client.sign(identity, csr, Duration.ofHours(1)).join();
            throw new AssertionError("signed " + identity + " when it should have been refused");
        } catch (CompletionException e) {
            return e.getCause().getMessage();
        }
    }

    @Test
    void aPodOfTheCallersNodeGetsExactlyItsIdentity() throws Exception {
        try (GrpcCaClient client = client("agent-a")) {
            List<X509Certificate> chain = client.sign(POD_A, Csr.generate(POD_A).pem(), Duration.ofHours(1)).join();
            assertEquals(2, chain.size(), "leaf and root");
            assertEquals(List.of(List.of(6, POD_A.toString())), chain.get(0).getSubjectAlternativeNames().stream()
                    .map(List::copyOf).toList(), "one URI SAN, the pod's identity");
            assertEquals(ca.root(), chain.get(1));
        }
    }

    @Test
    void everythingElseIsRefusedWithAReason() throws Exception {
        try (GrpcCaClient agent = client("agent-a"); GrpcCaClient pod = client("pod-a");
                GrpcCaClient stranger = client("forged")) {
            String otherNode = refusal(agent, POD_B, Csr.generate(POD_B).pem());
            assertTrue(otherNode.contains("PERMISSION_DENIED") && otherNode.contains("node-a"), otherNode);
            String twoSans = refusal(agent, POD_A, csrWithSans(POD_A.toString(), POD_B.toString()));
            assertTrue(twoSans.contains("INVALID_ARGUMENT"), twoSans);
            String mismatch = refusal(agent, POD_A, Csr.generate(POD_B).pem());
            assertTrue(mismatch.contains("INVALID_ARGUMENT"), mismatch);
            String notAnAgent = refusal(pod, POD_B, Csr.generate(POD_B).pem());
            assertTrue(notAnAgent.contains("PERMISSION_DENIED") && notAnAgent.contains("not a node agent"), notAnAgent);
            String badToken = refusal(stranger, POD_A, Csr.generate(POD_A).pem());
            assertTrue(badToken.contains("UNAUTHENTICATED"), badToken);
        }
    }

    @Test
    void theValidCertificateServesThroughAnOutageAndIsRenewedAfter() throws Exception {
        int port = server.port();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        try (GrpcCaClient client = client("agent-a");
                CertificateManager certificates = new CertificateManager(client, scheduler, Clock.systemUTC(),
                        Duration.ofSeconds(8))) {
            WorkloadCertificate first = certificates.certificate(POD_A).get(10, TimeUnit.SECONDS);
            server.close();
            Thread.sleep(4500); // past half-life: the renewal fails while the CA is down
            assertEquals(first.leaf(), certificates.certificate(POD_A).get(1, TimeUnit.SECONDS).leaf(),
                    "the valid certificate keeps serving");
            server = start(port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            WorkloadCertificate now = first;
            while (now.leaf().equals(first.leaf()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                now = certificates.certificate(POD_A).get(1, TimeUnit.SECONDS);
            }
            assertNotEquals(first.leaf().getSerialNumber(), now.leaf().getSerialNumber(), "renewed once the CA is back");
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** A well-signed CSR carrying every given URI SAN. */
    private static String csrWithSans(String... uris) throws Exception {
        KeyPair key = Csr.newKeyPair();
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        GeneralName[] names = new GeneralName[uris.length];
        for (int i = 0; i < uris.length; i++) {
            names[i] = new GeneralName(GeneralName.uniformResourceIdentifier, uris[i]);
        }
        extensions.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names));
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(""), key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        java.io.StringWriter out = new java.io.StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(csr);
        }
        return out.toString();
    }
}
