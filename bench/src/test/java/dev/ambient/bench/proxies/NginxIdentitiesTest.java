package dev.ambient.bench.proxies;

import dev.ambient.ztunnel.meshfile.LoopbackPods;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxIdentitiesTest {

    @TempDir
    Path dir;

    @Test
    void bothCertificatesChainToTheMeshRootAndCarryTheSpiffeIds() throws Exception {
        Path caDir = dir.resolve("ca");
        EmbeddedCa ca = EmbeddedCa.loadOrCreate(caDir, "cluster.local", Clock.systemUTC());
        NginxIdentities ids = NginxIdentities.write(ca, caDir, dir.resolve("nginx"));

        X509Certificate root = Pem.decodeCertificates(Files.readString(ids.root())).get(0);
        assertEquals(ca.root(), root);
        X509Certificate client = Pem.decodeCertificates(Files.readString(ids.clientCertificate())).get(0);
        X509Certificate server = Pem.decodeCertificates(Files.readString(ids.serverCertificate())).get(0);
        client.verify(root.getPublicKey());
        server.verify(root.getPublicKey());
        assertEquals(Set.of("6:" + LoopbackPods.CLIENT_ID), names(client));
        assertEquals(Set.of("6:" + LoopbackPods.SERVER_ID, "2:" + NginxIdentities.SERVER_NAME), names(server));
        assertTrue(server.getCriticalExtensionOIDs().contains("2.5.29.17"), "the SAN is critical: the subject is empty");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), server.getExtendedKeyUsage());

        Pem.decodePrivateKey(Files.readString(ids.clientKey()));
        Pem.decodePrivateKey(Files.readString(ids.serverKey()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ids.serverKey())));
    }

    private static Set<String> names(X509Certificate cert) throws Exception {
        return cert.getSubjectAlternativeNames().stream().map(n -> n.get(0) + ":" + n.get(1))
                .collect(Collectors.toSet());
    }
}
