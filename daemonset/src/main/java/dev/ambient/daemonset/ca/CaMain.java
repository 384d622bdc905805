package dev.ambient.daemonset.ca;

import dev.ambient.daemonset.incluster.Startup;
import dev.ambient.ztunnel.config.Flags;
import dev.ambient.ztunnel.identity.CaException;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.meshfile.MeshFileSource;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.StateStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code mesh ca}: the mesh's CA as a service of its own. In a local cluster its root is in
 * {@code --ca-dir}, where pods run comes from the mesh file and callers from a token file; with
 * {@code --kubernetes} (its Deployment) the root is in a Secret, pods come from the API server and
 * callers are reviewed by it. Node agents reach it with {@code mesh agent --ca-address}.
 */
public final class CaMain {

    static final String USAGE = """
            usage: mesh ca --mesh FILE --ca-dir DIR --tokens FILE [options]     (a local cluster)
                   mesh ca --kubernetes [--namespace NS] [--root-secret NAME] [options]  (in a cluster)
              --listen 0.0.0.0:15012            where the gRPC service listens (Istio's port)
              --trust-domain cluster.local       the trust domain it signs for
              --identity ambient-system/ambient-ca   its own service account (the SVID it serves with)
              --node-agents ambient-system/ztunnel   service accounts that may ask for their node's pods
            """;

    private CaMain() {}

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, Set.of("mesh", "ca-dir", "tokens", "listen", "trust-domain", "identity",
                "node-agents", "namespace", "root-secret"), Set.of("help", "kubernetes"));
        if (flags.bool("help")) {
            System.out.print(USAGE);
            return;
        }
        boolean kubernetes = flags.bool("kubernetes");
        if (!kubernetes) {
            flags.require("mesh");
            flags.require("ca-dir");
            flags.require("tokens");
        }
        String listen = flags.get("listen").orElse("0.0.0.0:15012");
        String trustDomain = flags.get("trust-domain").orElse("cluster.local");
        String[] self = flags.get("identity").orElse("ambient-system/ambient-ca").split("/");
        Set<String> agents = new HashSet<>(Arrays.asList(flags.get("node-agents").orElse("ambient-system/ztunnel")
                .split(",")));
        int colon = listen.lastIndexOf(':');
        if (colon < 0 || self.length != 2) {
            flags.error("--listen is host:port and --identity is namespace/service-account");
        }
        if (!flags.errors().isEmpty()) {
            flags.errors().forEach(e -> System.err.println("mesh ca: " + e));
            System.err.print(USAGE);
            System.exit(2);
        }
        InetSocketAddress bind = new InetSocketAddress(listen.substring(0, colon),
                Integer.parseInt(listen.substring(colon + 1)));
        SpiffeId identity = SpiffeId.of(trustDomain, self[0], self[1]);
        AutoCloseable running;
        if (kubernetes) {
            String namespace = flags.get("namespace").orElse(System.getenv().getOrDefault("POD_NAMESPACE",
                    "ambient-system"));
            KubernetesClient client = new KubernetesClientBuilder().build();
            KubernetesCa ca = Startup.orExit("ca", () -> KubernetesCa.start(client, namespace,
                    flags.get("root-secret").orElse("ambient-ca-root"), trustDomain, bind, identity, agents));
            running = () -> {
                ca.close();
                client.close();
            };
        } else {
            running = startLocal(flags, trustDomain, bind, identity, agents);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("mesh ca: " + e);
            }
            stopped.countDown();
        }, "ca-shutdown"));
        System.out.println("CA for " + trustDomain + " serving on " + listen + " as " + identity + "; node agents: "
                + agents);
        stopped.await();
    }

    /** A local cluster's CA: the root in {@code --ca-dir}, pods from the mesh file, callers from a token file. */
    private static AutoCloseable startLocal(Flags flags, String trustDomain, InetSocketAddress bind, SpiffeId identity,
            Set<String> agents) throws IOException, CaException {
        EmbeddedCa ca = EmbeddedCa.loadOrCreate(Path.of(flags.require("ca-dir")), trustDomain, Clock.systemUTC());
        StateStore pods = new StateStore(MeshSnapshot.empty("cluster.local"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        MeshFileSource file = new MeshFileSource(Path.of(flags.require("mesh")), KubernetesCa.snapshots(trustDomain),
                pods, scheduler, Duration.ofMillis(500));
        file.start();
        CaServer server = CaServer.start(bind, ca, identity, StaticTokens.read(Path.of(flags.require("tokens"))),
                new IdentityPolicy(trustDomain, agents, pods::current));
        return () -> {
            server.close();
            file.close();
            scheduler.shutdownNow();
        };
    }
}
