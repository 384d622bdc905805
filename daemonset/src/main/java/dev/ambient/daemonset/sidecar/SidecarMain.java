package dev.ambient.daemonset.sidecar;

import dev.ambient.daemonset.process.DedicatedProxy;
import dev.ambient.ztunnel.config.Flags;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;

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
        int mark = Integer.decode(flags.get("mark").orElse("0x" + Integer.toHexString(CaptureRules.DEFAULT_MARK)));
        InetAddress delivery = InetAddress.getByName(DELIVERY_SOURCE);
        DedicatedProxy.serve("sidecar", flags, b -> b.sidecar(flags.get("pod").orElse(""), mark, delivery));
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
}
