package dev.ambient.daemonset.agent;

import dev.ambient.bpf.NodeDatapath;
import dev.ambient.daemonset.incluster.KubernetesSettings;
import dev.ambient.daemonset.incluster.RemoteCa;
import dev.ambient.daemonset.incluster.Startup;
import dev.ambient.ztunnel.config.Flags;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.identity.SpiffeId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mesh agent --mesh FILE --node NAME --ca-dir DIR [--bpffs DIR] [--uninstall]}: the node agent,
 * run inside the node's network namespace until SIGTERM.
 */
public final class AgentMain {

    static final String USAGE = """
            usage: mesh agent --mesh FILE --node NAME --ca-dir DIR [options]   (a local cluster)
                   mesh agent --kubernetes   (in its DaemonSet: NODE_NAME, TRUST_DOMAIN, CA_ADDRESS, CA_IDENTITY,
                                              CA_ROOT, TOKEN_FILE, BPFFS, DRAIN_TIMEOUT, POD_DRAIN from the environment)
              --bpffs DIR          a mounted bpffs for the pinned maps and links (default /sys/fs/bpf)
              --drain-timeout 30s  how long live connections may finish on SIGTERM
              --pod-drain 10s      how long a pod leaving the mesh keeps its captured connections
              --ca-address H:P     get certificates from the CA service there (mesh ca) instead of
                                   signing them with the root in --ca-dir; then also:
              --ca-root FILE       the trust root (PEM) that the CA and every peer chain to
              --token-file FILE    this agent's service-account token, read at every CA call
              --ca-identity ns/sa  the CA's own identity (default ambient-system/ambient-ca)
              --uninstall          remove this node's links, pins, rule and route, then exit
            """;

    private AgentMain() {}

    private static void runInCluster() throws Exception {
        KubernetesSettings settings = Startup.orExit("agent", () -> KubernetesSettings.fromEnvironment(System.getenv()));
        KubernetesAgent agent = Startup.orExit("agent", () -> KubernetesAgent.start(settings));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.stop(settings.drain());
            stopped.countDown();
        }, "agent-shutdown"));
        System.out.println("agent for node " + settings.node() + " running: state from the API server, certificates "
                + "from " + settings.caAddress());
        stopped.await();
    }

    /** A local node whose certificates come from {@code mesh ca} rather than a root on the node. */
    private static NodeAgent startWithRemoteCa(ZtunnelConfig config, Path pinRoot, Duration podDrain, Flags flags) {
        Path rootFile = Path.of(flags.require("ca-root"));
        Path tokenFile = Path.of(flags.require("token-file"));
        String[] caId = flags.get("ca-identity").orElse("ambient-system/ambient-ca").split("/");
        if (!flags.errors().isEmpty() || caId.length != 2) {
            throw new IllegalArgumentException("--ca-address needs --ca-root FILE and --token-file FILE, and "
                    + "--ca-identity is namespace/service-account: " + flags.errors());
        }
        RemoteCa ca = RemoteCa.connect(config.trustDomain(), flags.require("ca-address"), rootFile, tokenFile,
                SpiffeId.of(config.trustDomain(), caId[0], caId[1]));
        return NodeAgent.start(config, pinRoot, podDrain, ca.client(), ca.bundle());
    }

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, Set.of("mesh", "node", "ca-dir", "bpffs", "drain-timeout", "pod-drain",
                "ca-address", "ca-root", "token-file", "ca-identity"), Set.of("uninstall", "help", "kubernetes"));
        if (flags.bool("help")) {
            System.out.print(USAGE);
            return;
        }
        if (flags.bool("kubernetes")) {
            runInCluster();
            return;
        }
        String mesh = flags.require("mesh");
        String node = flags.require("node");
        String caDir = flags.require("ca-dir");
        Path bpffs = Path.of(flags.get("bpffs").orElse("/sys/fs/bpf"));
        Duration drain = flags.duration("drain-timeout", Duration.ofSeconds(30));
        Duration podDrain = flags.duration("pod-drain", Duration.ofSeconds(10));
        if (!flags.errors().isEmpty()) {
            flags.errors().forEach(e -> System.err.println("mesh agent: " + e));
            System.err.print(USAGE);
            System.exit(2);
        }
        Path pinRoot = bpffs.resolve("ambient").resolve(node);
        ZtunnelConfig config = ZtunnelConfig.defaults(node, Path.of(mesh), Path.of(caDir)).withDrainTimeout(drain);
        if (flags.bool("uninstall")) {
            NodeDatapath.uninstall(pinRoot);
            System.out.println("removed the mesh from node " + node + " (" + pinRoot + ")");
            return;
        }
        NodeAgent agent = flags.get("ca-address").isPresent()
                ? startWithRemoteCa(config, pinRoot, podDrain, flags)
                : NodeAgent.start(config, pinRoot, podDrain);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.stop(drain);
            stopped.countDown();
        }, "agent-shutdown"));
        System.out.println("agent for node " + node + " running: capture attached, ztunnel HBONE on "
                + agent.ztunnel().hboneAddress());
        stopped.await();
    }
}
