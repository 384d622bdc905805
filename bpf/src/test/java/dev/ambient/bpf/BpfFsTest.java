package dev.ambient.bpf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins on something that is not a bpffs: a clear error that says what to do, before anything is loaded. */
class BpfFsTest {

    @Test
    void aPinRootOffBpffsIsRefusedWithTheFix(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CapturePrograms.load(dir.resolve("pins"), dir.resolve("objects")));
        assertTrue(e.getMessage().contains("is not on a mounted bpffs"), e.getMessage());
        assertTrue(e.getMessage().contains("mount -t bpf bpf /sys/fs/bpf"), e.getMessage());
    }
}
