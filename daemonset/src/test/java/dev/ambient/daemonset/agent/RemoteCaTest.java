package dev.ambient.daemonset.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.Pem;
import dev.ambient.ztunnel.identity.SpiffeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node agent that takes its certificates from the CA service refuses to start, naming the file,
 * when its token or the CA root cannot be read, and does so before it pins a program or captures a
 * pod: a node is never left half enrolled by an agent that could not have got a certificate.
 */
class RemoteCaTest {

    @TempDir
    Path dir;

    private RuntimeException start(Path root, Path token) {
        ZtunnelConfig config = ZtunnelConfig.defaults("node-a", dir.resolve("unused"), dir.resolve("unused"))
                .toBuilder().noMeshFile().build();
        return assertThrows(RuntimeException.class, () -> RemoteCa.startAgent(config, dir.resolve("pins"),
                Duration.ZERO, "127.0.0.1:1", root, token, SpiffeId.of("cluster.local", "ambient-system", "ambient-ca")));
    }

    private Path root() throws Exception {
        Path root = dir.resolve("root.pem");
        Files.writeString(root, Pem.encode(EmbeddedCa.generate("cluster.local", Clock.systemUTC()).root()));
        return root;
    }

    @Test
    void aMissingTokenStopsTheAgentBeforeAnythingIsPinned() throws Exception {
        Path token = dir.resolve("token");
        String message = start(root(), token).getMessage();
        assertTrue(message.contains("cannot read the token file " + token), message);
        assertFalse(Files.exists(dir.resolve("pins")), "nothing pinned, nothing captured");
    }

    @Test
    void anEmptyTokenIsNamed() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "  \n");
        String message = start(root(), token).getMessage();
        assertTrue(message.contains("the token file " + token + " is empty"), message);
        assertFalse(Files.exists(dir.resolve("pins")));
    }

    @Test
    void aRootThatIsNotACertificateIsNamed() throws Exception {
        Path root = Files.writeString(dir.resolve("root.pem"), "not a certificate");
        Path token = Files.writeString(dir.resolve("token"), "eyJhbGciOi");
        String message = start(root, token).getMessage();
        assertTrue(message.contains("cannot read the CA root " + root), message);
        assertFalse(Files.exists(dir.resolve("pins")));
    }
}
