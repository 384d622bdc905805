package dev.ambient.daemonset.process;

import dev.ambient.ztunnel.Ztunnel;
import dev.ambient.ztunnel.config.Flags;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import dev.ambient.ztunnel.proxy.WaypointLayer;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * The body of {@code mesh sidecar} and {@code mesh waypoint}: a ztunnel composed to serve one pod
 * ({@code --pod}) of the mesh file, run in that pod's network namespace until SIGTERM, then drained.
 */
public final class DedicatedProxy {

    private DedicatedProxy() {}

    /**
     * Reads {@code --mesh}, {@code --pod}, {@code --ca-dir} and {@code --drain-timeout} from
     * {@code flags}, applies {@code compose} (which makes it a sidecar or a waypoint) and serves until
     * stopped. Exits 2 on a bad command line, naming every problem.
     */
    public static void serve(String command, Flags flags, UnaryOperator<ZtunnelConfig.Builder> compose)
            throws IOException, InterruptedException {
        serve(command, flags, compose, WaypointLayer.NONE);
    }

    /** The same, with {@code layer} above TCP for the tunnels a waypoint passes on. */
    public static void serve(String command, Flags flags, UnaryOperator<ZtunnelConfig.Builder> compose,
            WaypointLayer layer) throws IOException, InterruptedException {
        String mesh = flags.require("mesh");
        String pod = flags.require("pod");
        String caDir = flags.require("ca-dir");
        Duration drain = flags.duration("drain-timeout", Duration.ofSeconds(30));
        if (!flags.errors().isEmpty()) {
            flags.errors().forEach(e -> System.err.println("mesh " + command + ": " + e));
            System.exit(2);
        }
        Optional<String> node = nodeOf(Path.of(mesh), pod);
        if (node.isEmpty()) {
            System.err.println("mesh " + command + ": the mesh file has no pod " + pod + " with a spec.nodeName");
            System.exit(2);
        }
        ZtunnelConfig config = compose.apply(ZtunnelConfig.defaults(node.get(), Path.of(mesh), Path.of(caDir))
                .toBuilder()).drainTimeout(drain).build();
        EmbeddedCa ca = EmbeddedCa.loadOrCreate(config.caDir(), config.trustDomain(), Clock.systemUTC());
        Ztunnel proxy = Ztunnel.start(config, ca, ca.bundle(), layer);
        runUntilStopped(command, pod, () -> {
            proxy.drain(drain);
            proxy.close();
        });
    }

    /** Says that {@code command} serves {@code pod} and blocks until SIGTERM, on which it runs {@code stop}. */
    public static void runUntilStopped(String command, String pod, Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, command + "-shutdown"));
        System.out.println(command + " for pod " + pod + " running");
        stopped.await();
    }

    /** The node of pod {@code podKey} ({@code namespace/name}) in the mesh file. */
    public static Optional<String> nodeOf(Path mesh, String podKey) throws IOException {
        for (Pod p : new MeshFileParser().parse(Files.readString(mesh), mesh.toString()).pods()) {
            String ns = p.getMetadata().getNamespace() == null ? "default" : p.getMetadata().getNamespace();
            if ((ns + "/" + p.getMetadata().getName()).equals(podKey) && p.getSpec() != null) {
                return Optional.ofNullable(p.getSpec().getNodeName());
            }
        }
        return Optional.empty();
    }
}
