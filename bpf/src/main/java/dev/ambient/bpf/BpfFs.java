package dev.ambient.bpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks that pins can live where the agent wants them: on a mounted bpffs. */
public final class BpfFs {

    private BpfFs() {}

    /** Creates {@code pinRoot} if needed; fails with what to do when it is not on a bpffs. */
    public static void require(Path pinRoot) {
        Path dir = pinRoot.toAbsolutePath();
        Path probe = dir;
        while (probe != null && !Files.exists(probe)) {
            probe = probe.getParent();
        }
        if (probe == null || !"bpf".equals(fileSystemType(probe))) {
            throw new IllegalStateException(pinRoot + " is not on a mounted bpffs, so the capture maps cannot be "
                    + "pinned and would not survive an agent restart; mount it first: mount -t bpf bpf /sys/fs/bpf");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pin directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String fileSystemType(Path path) {
        try {
            return Files.getFileStore(path).type();
        } catch (IOException e) {
            return "";
        }
    }
}
