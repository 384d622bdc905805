package dev.ambient.daemonset.sidecar;

import dev.ambient.ztunnel.Ztunnel;
import dev.ambient.ztunnel.config.Flags;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.meshfile.MeshFileParser;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mesh sidecar --mesh FILE --pod NAMESPACE/NAME --ca-dir DIR}: the per-pod proxy of sidecar
 * mode, run inside the pod's network namespace behind {@code mesh sidecar-init}'s rules. It is the
 * same ztunnel, composed to serve one workload: same HBONE, same identities, same policy.
 */
public final class SidecarMain {

    /** Deliveries to the app come from here, which the pod's capture rules never redirect. */
    public static final String DELIVERY_SOURCE = "127.0.0.6";

    private SidecarMain() {}

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, Set.of("mesh", "pod", "ca-dir", "mark", "drain-timeout", "wait-ready"),
                Set.of("help"));
        if (flags.get("wait-ready").isPresent()) {
            System.exit(waitReady(flags.duration("wait-ready", Duration.ofSeconds(120))) ? 0 : 1);
        }
        if (flags.bool("help")) {
            System.out.println("usage: mesh sidecar --mesh FILE --pod NAMESPACE/NAME --ca-dir DIR [--mark 0x20000]\n"
                    + "       mesh sidecar --wait-ready 120s   (exits 0 once the pod's sidecar is ready)");
            return;
        }
        String mesh = flags.require("mesh");
        String pod = flags.require("pod");
        String caDir = flags.require("ca-dir");
        Duration drain = flags.duration("drain-timeout", Duration.ofSeconds(30));
        if (!flags.errors().isEmpty()) {
            flags.errors().forEach(e -> System.err.println("mesh sidecar: " + e));
            System.exit(2);
        }
        String node = nodeOf(Path.of(mesh), pod).orElseGet(() -> {
            System.err.println("mesh sidecar: the mesh file has no pod " + pod + " with a spec.nodeName");
            System.exit(2);
            return "";
        });
        ZtunnelConfig config = ZtunnelConfig.defaults(node, Path.of(mesh), Path.of(caDir)).toBuilder()
                .sidecar(pod, Integer.decode(flags.get("mark").orElse("0x" + Integer.toHexString(CaptureRules.DEFAULT_MARK))), InetAddress.getByName(DELIVERY_SOURCE))
                .drainTimeout(drain)
                .build();
        EmbeddedCa ca = EmbeddedCa.loadOrCreate(config.caDir(), config.trustDomain(), Clock.systemUTC());
        Ztunnel sidecar = Ztunnel.start(config, ca, ca.bundle());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sidecar.drain(drain);
            sidecar.close();
            stopped.countDown();
        }, "sidecar-shutdown"));
        System.out.println("sidecar for pod " + pod + " running");
        stopped.await();
    }

    /**
     * Hold until ready: waits until the pod's sidecar answers on its readiness port, so an app (or a
     * postStart hook) starts only once its traffic can be carried. False when the time runs out.
     */
    static boolean waitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                dev.ambient.daemonset.process.AgentEndpoint.get(15021, "/healthz/ready");
                return true;
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        System.err.println("mesh sidecar: not ready within " + timeout.toSeconds() + "s");
        return false;
    }

    static Optional<String> nodeOf(Path mesh, String podKey) throws java.io.IOException {
        for (Pod p : new MeshFileParser().parse(Files.readString(mesh), mesh.toString()).pods()) {
            String ns = p.getMetadata().getNamespace() == null ? "default" : p.getMetadata().getNamespace();
            if ((ns + "/" + p.getMetadata().getName()).equals(podKey) && p.getSpec() != null) {
                return Optional.ofNullable(p.getSpec().getNodeName());
            }
        }
        return Optional.empty();
    }
}
