package dev.ambient.daemonset.playground;

import dev.ambient.daemonset.cluster.ClusterSpec;
import dev.ambient.daemonset.cluster.CompletedMeshFile;
import dev.ambient.daemonset.cluster.LocalCluster;
import dev.ambient.daemonset.process.MeshProcesses;
import dev.ambient.sys.Commands;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mesh up --mesh FILE}: a local cluster built from a mesh file, with a node agent per node,
 * that stays up until interrupted (or {@code mesh down}). Pods are reached by their names with
 * {@code mesh exec NAMESPACE/POD -- CMD}; editing the mesh file applies live.
 */
public final class UpMain {

    /** The cluster id of the playground: its namespaces are am-up-NODE and am-up-p-NAMESPACE-POD. */
    public static final String ID = "up";

    private UpMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || !args[0].equals("--mesh") || !args[2].startsWith("--work=")) {
            System.err.println("usage: mesh up --mesh FILE");
            System.exit(2);
        }
        Path mesh = Path.of(args[1]).toAbsolutePath();
        Path work = Path.of(args[2].substring("--work=".length())).toAbsolutePath();
        if (!Files.isReadable(mesh)) {
            System.err.println("mesh up: " + mesh + " cannot be read");
            System.exit(2);
        }
        Playground.requireRoot("mesh up");
        Playground.down(work);
        Path bpffs = Files.createDirectories(work.resolve("bpffs"));
        Files.writeString(work.resolve("up.pid"), Long.toString(ProcessHandle.current().pid()));
        Commands.run("mount", "-t", "bpf", "bpf", bpffs.toString());
        CompletedMeshFile completed = CompletedMeshFile.start(mesh, work.resolve("mesh.yaml"));
        ClusterSpec spec = ClusterSpec.of(new MeshFileParser().parse(completed.text(), mesh.toString()));
        if (spec.nodes().isEmpty()) {
            System.err.println("mesh up: " + mesh + " places no pod on a node (spec.nodeName and status.podIP)");
            System.exit(2);
        }
        LocalCluster cluster = LocalCluster.create(spec, ID);
        MeshProcesses[] processes = new MeshProcesses[1];
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (processes[0] != null) {
                processes[0].close();
            }
            cluster.close();
            completed.close();
            Commands.quietly("umount", bpffs.toString());
            stop.countDown();
        }, "mesh-up-teardown"));
        processes[0] = MeshProcesses.start(cluster, completed.path(), work.resolve("ca"), work.resolve("logs"), bpffs, List.of(),
                Duration.ofSeconds(120));
        System.out.println("mesh up: " + spec.nodes().size() + " node(s), " + spec.pods().size() + " pod(s) from " + mesh);
        spec.nodes().forEach((node, ip) -> {
            System.out.println("  node " + node + " (" + ip.getHostAddress() + "): metrics " + ip.getHostAddress()
                    + ":15020/metrics, readiness :15021; admin: ./mesh exec node/" + node
                    + " -- curl -s localhost:15000/config_dump");
            spec.podsOn(node).forEach(p -> System.out.println("    pod " + p.key() + " " + p.ip().getHostAddress()
                    + (p.sidecar() ? " (sidecar mode)" : "")));
        });
        System.out.println("Run things in a pod with ./mesh exec NAMESPACE/POD -- CMD; see ./mesh status; "
                + "edit " + mesh + " to enrol or unenrol live. Ctrl-C or ./mesh down tears it all down.");
        stop.await();
    }
}
