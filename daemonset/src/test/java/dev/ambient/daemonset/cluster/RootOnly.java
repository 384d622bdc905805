package dev.ambient.daemonset.cluster;

import dev.ambient.sys.Commands;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Namespaced tests need root; without it they fail and say so, they never pass by skipping. */
public final class RootOnly {

    private RootOnly() {}

    public static void require() {
        String uid = Commands.run("id", "-u").strip();
        assertEquals("0", uid, "this test builds network namespaces and must run as root (CI does); "
                + "run ./mesh test as root");
    }
}
