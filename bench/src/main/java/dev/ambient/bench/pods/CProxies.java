package dev.ambient.bench.pods;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.pods.PodLayout.Pod;
import dev.ambient.bench.proxies.ChildProcesses;
import dev.ambient.bench.proxies.HaproxyConfig;
import dev.ambient.bench.proxies.NginxConfig;
import dev.ambient.bench.proxies.NginxIdentities;
import dev.ambient.bench.proxies.NginxInstallation;
import dev.ambient.bench.proxies.Readiness;
import dev.ambient.sys.Commands;
import dev.ambient.sys.NetNamespace;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The C proxies a user would run as sidecars instead of ours, one per pod, each doing the same job:
 * capture in, mutual TLS between pods, plaintext to the app; nginx both relaying connections (stream)
 * and reading requests (http, the L7 pair a waypoint is compared with). Their certificates come from the same
 * CA, one per service account (a DNS name added for the server's, as these proxies verify names, not
 * SPIFFE IDs). Each runs in its pod's namespace and drops to the user its pod's rules exempt.
 */
final class CProxies implements AutoCloseable {

    /** A started proxy. */
    record Started(long pid, Callable<Boolean> ready, MeshProcess.Alive alive) {}

    private static final List<Path> HAPROXY = List.of(Path.of("/usr/sbin/haproxy"), Path.of("/usr/local/sbin/haproxy"));

    private final Path dir;
    private final Path caDir;
    private final ChildProcesses children = new ChildProcesses();
    private final Map<Long, Process> byPid = new ConcurrentHashMap<>();
    private final Map<Scenario, NginxIdentities> identities = new EnumMap<>(Scenario.class);
    private Optional<NginxInstallation> nginx = Optional.empty();

    /** Files go under {@code dir}; certificates are issued by the CA in {@code caDir}. */
    CProxies(Path dir, Path caDir) {
        this.dir = dir;
        this.caDir = caDir;
    }

    /** Starts {@code mode}'s proxy in {@code pod} (network namespace {@code netns}), sending outbound to {@code peer}. */
    Started start(Scenario mode, Pod pod, Pod peer, String netns) throws BenchException {
        Path podDir = dir.resolve(mode.label()).resolve(pod.name());
        Path log = podDir.resolve("proxy.log");
        NginxIdentities ids = identities(mode, pod.namespace());
        boolean server = pod.serviceAccount().equals("server");
        Path cert = server ? ids.serverCertificate() : ids.clientCertificate();
        Path key = server ? ids.serverKey() : ids.clientKey();
        InetSocketAddress out = PodCluster.application(peer);
        InetSocketAddress in = PodCluster.application(pod);
        List<String> command;
        try {
            Files.createDirectories(podDir);
            if (mode == Scenario.HAPROXY_SIDECAR) {
                Path bundle = podDir.resolve("identity.pem");
                Files.writeString(bundle, Files.readString(cert) + Files.readString(key));
                Path config = podDir.resolve("haproxy.cfg");
                Files.writeString(config, new HaproxyConfig(podDir.resolve("haproxy.pid"), ModeProcesses.C_PROXY_UID,
                        out, in, bundle, ids.root(), NginxIdentities.SERVER_NAME).render());
                command = List.of(haproxy().toString(), "-db", "-f", config.toString());
            } else if (mode == Scenario.NGINX_SIDECAR || mode == Scenario.NGINX_L7_SIDECAR) {
                NginxInstallation installed = nginx(mode);
                InetSocketAddress any = new InetSocketAddress(PodCluster.address("0.0.0.0"), 0);
                NginxConfig.Layer layer = mode == Scenario.NGINX_SIDECAR ? NginxConfig.Layer.STREAM
                        : NginxConfig.Layer.HTTP;
                NginxConfig config = new NginxConfig("sidecar of " + pod.key(), layer, installed.streamModule(),
                        podDir.resolve("nginx.pid"), podDir.resolve("error.log"), List.of(
                                new NginxConfig.Server(port(any, 15001), out, Optional.empty(), Optional.of(
                                        new NginxConfig.DialTls(cert, key, ids.root(), NginxIdentities.SERVER_NAME))),
                                new NginxConfig.Server(port(any, 15006), in,
                                        Optional.of(new NginxConfig.AcceptTls(cert, key, ids.root())), Optional.empty())),
                        Optional.of("nobody nogroup"));
                Path file = podDir.resolve("nginx.conf");
                Files.writeString(file, config.render());
                command = List.of(installed.binary().toString(), "-p", podDir + "/", "-e",
                        config.errorLog().toString(), "-c", file.toString());
            } else {
                throw new IllegalArgumentException("BUG: " + mode.label() + " is not a C proxy mode");
            }
        } catch (IOException e) {
            throw new BenchException("cannot write the proxy files of " + pod.key() + " into " + podDir + ": "
                    + e.getMessage(), e);
        }
        Process process = children.start(mode.label() + " " + pod.key(),
                Commands.inNetns(netns, command), log);
        byPid.put(process.pid(), process);
        return new Started(process.pid(), listening(netns), new MeshProcess.Alive() {
            @Override
            public boolean isAlive() {
                return process.isAlive();
            }

            @Override
            public String describeExit() {
                return "last lines of " + log + ":\n" + Readiness.tail(log);
            }
        });
    }

    private synchronized NginxIdentities identities(Scenario mode, String namespace) throws BenchException {
        NginxIdentities ids = identities.get(mode);
        if (ids == null) {
            EmbeddedCa ca = EmbeddedCa.loadOrCreate(caDir, "cluster.local", Clock.systemUTC());
            String prefix = "spiffe://cluster.local/ns/" + namespace + "/sa/";
            ids = NginxIdentities.write(ca, caDir, dir.resolve(mode.label()).resolve("identities"), prefix + "client",
                    prefix + "server");
            identities.put(mode, ids);
        }
        return ids;
    }

    private static Path haproxy() throws BenchException {
        return HAPROXY.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new BenchException(
                "haproxy is not installed (looked at " + HAPROXY + "); ./mesh bench installs it with apt"));
    }

    private synchronized NginxInstallation nginx(Scenario mode) throws BenchException {
        if (nginx.isEmpty()) {
            NginxInstallation.Detection d = NginxInstallation.detect();
            nginx = Optional.of(d.installation().orElseThrow(() -> new BenchException(mode.label()
                    + " cannot run: " + d.problem() + "; ./mesh bench installs nginx and its stream module")));
        }
        return nginx.get();
    }

    private static InetSocketAddress port(InetSocketAddress any, int port) {
        return new InetSocketAddress(any.getAddress(), port);
    }

    /** Ready when both listeners accept, checked from inside the pod. */
    private static Callable<Boolean> listening(String netns) {
        return () -> {
            try (NetNamespace ns = NetNamespace.named(netns)) {
                return ns.call(() -> accepts(15001) && accepts(15006));
            }
        };
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the proxies among {@code pids}. */
    void stop(List<Long> pids) {
        pids.stream().map(byPid::remove).filter(p -> p != null).parallel().forEach(children::stop);
    }

    @Override
    public void close() {
        children.close();
    }
}
