package dev.ambient.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The native boundary: errors carry the call and errno text; a namespace is really entered. */
class NetNamespaceTest {

    @Test
    void aMissingNamespaceNamesTheCallAndTheError() {
        NativeException e = assertThrows(NativeException.class, () -> NetNamespace.named("no-such-namespace-xyz"));
        assertTrue(e.getMessage().contains("open(/run/netns/no-such-namespace-xyz)"), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
        assertEquals(2, e.errno());
    }

    @Test
    void codeRunsInsideTheNamespace() throws Exception {
        // Entering our own namespace must work and leave the thread in it: same inode as ours.
        String ours = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        try (NetNamespace self = NetNamespace.open(Path.of("/proc/self/ns/net"))) {
            String inside = self.call(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
            assertEquals(ours, inside);
        }
    }
}
