package dev.ambient.daemonset.incluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.Pem;
import dev.ambient.ztunnel.identity.SpiffeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connecting to the CA service fails, naming the file, when the caller's token or the CA root cannot
 * be read. The node agent and the waypoint connect before they start anything, so such a process
 * stops before it pins a program or captures a pod.
 */
class RemoteCaTest {

    @TempDir
    Path dir;

    private String refusal(Path root, Path token) {
        return assertThrows(RuntimeException.class, () -> RemoteCa.connect("cluster.local", "127.0.0.1:1", root, token,
                SpiffeId.of("cluster.local", "ambient-system", "ambient-ca"))).getMessage();
    }

    private final X509Certificate rootCertificate = EmbeddedCa.generate("cluster.local", Clock.systemUTC()).root();

    private Path root() throws Exception {
        return Files.writeString(dir.resolve("root.pem"), Pem.encode(rootCertificate));
    }

    @Test
    void aMissingTokenIsNamed() throws Exception {
        Path token = dir.resolve("token");
        String message = refusal(root(), token);
        assertTrue(message.contains("cannot read the token file " + token), message);
    }

    @Test
    void anEmptyTokenIsNamed() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "  \n");
        String message = refusal(root(), token);
        assertTrue(message.contains("the token file " + token + " is empty"), message);
    }

    @Test
    void aRootThatIsNotACertificateIsNamed() throws Exception {
        Path root = Files.writeString(dir.resolve("root.pem"), "not a certificate");
        String message = refusal(root, Files.writeString(dir.resolve("token"), "eyJhbGciOi"));
        assertTrue(message.contains("cannot read the CA root " + root), message);
    }

    @Test
    void aReadableRootAndTokenConnectWithThatRootAsTheTrustBundle() throws Exception {
        RemoteCa ca = RemoteCa.connect("cluster.local", "127.0.0.1:1", root(),
                Files.writeString(dir.resolve("token"), "eyJhbGciOi"),
                SpiffeId.of("cluster.local", "ambient-system", "ambient-ca"));
        try (var client = ca.client()) {
            assertEquals(List.of(rootCertificate), ca.bundle().roots("cluster.local"));
        }
    }
}
