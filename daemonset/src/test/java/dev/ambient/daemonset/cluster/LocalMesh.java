package dev.ambient.daemonset.cluster;

import dev.ambient.daemonset.process.MeshProcesses;
import dev.ambient.sys.Commands;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A namespaced test's whole mesh from one mesh file: the local cluster, a private bpffs, and every
 * mesh process (agents, sidecars, waypoints) ready; {@link #close} removes all of it.
 */
public final class LocalMesh implements AutoCloseable {

    public final Path dir;
    public final ClusterSpec spec;
    public final LocalCluster cluster;
    public final MeshProcesses processes;
    private final Path bpffs;

    private LocalMesh(Path dir, ClusterSpec spec, LocalCluster cluster, MeshProcesses processes, Path bpffs) {
        this.dir = dir;
        this.spec = spec;
        this.cluster = cluster;
        this.processes = processes;
        this.bpffs = bpffs;
    }

    /** Needs root; {@code idSuffix} (one letter) keeps concurrent tests' namespaces apart. */
    public static LocalMesh start(String yaml, String idSuffix) throws Exception {
        RootOnly.require();
        Files.createDirectories(Path.of("target"));
        Path dir = Files.createTempDirectory(Path.of("target"), "local-mesh-").toAbsolutePath();
        Path mesh = dir.resolve("mesh.yaml");
        String completed = WaypointPods.complete(yaml, mesh.toString());
        Files.writeString(mesh, completed);
        Path bpffs = Files.createDirectories(dir.resolve("bpffs"));
        Commands.run("mount", "-t", "bpf", "bpf", bpffs.toString());
        LocalCluster cluster = null;
        try {
            ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(completed, mesh.toString()));
            cluster = LocalCluster.create(spec, Long.toString(ProcessHandle.current().pid() % 100_000, 36) + idSuffix);
            MeshProcesses processes = MeshProcesses.start(cluster, mesh, dir.resolve("ca"), dir.resolve("logs"), bpffs,
                    List.of("--drain-timeout", "2s"), Duration.ofSeconds(60));
            return new LocalMesh(dir, spec, cluster, processes, bpffs);
        } catch (Exception | Error e) {
            if (cluster != null) {
                cluster.close();
            }
            Commands.quietly("umount", bpffs.toString());
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            processes.close();
            cluster.close();
        } finally {
            Commands.quietly("umount", bpffs.toString());
        }
    }
}
