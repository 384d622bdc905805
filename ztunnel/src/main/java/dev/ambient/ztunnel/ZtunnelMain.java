package dev.ambient.ztunnel;

import dev.ambient.ztunnel.config.Flags;
import dev.ambient.ztunnel.config.ZtunnelConfig;
import dev.ambient.ztunnel.identity.EmbeddedCa;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mesh ztunnel --mesh FILE --node NAME --ca-dir DIR [--listen-address ADDR]}: runs one node's
 * ztunnel in the current network namespace until SIGTERM, then drains.
 */
public final class ZtunnelMain {

    static final String USAGE = """
            usage: mesh ztunnel --mesh FILE --node NAME --ca-dir DIR [options]
              --mesh FILE               mesh file (multi-document YAML), reloaded when it changes
              --node NAME               serve the identities of the pods the mesh file places on NAME
              --ca-dir DIR              embedded CA root (root-cert.pem, root-key.pem), created if absent
              --listen-address ADDR     bind capture and HBONE listeners here (default: all addresses)
              --trust-domain TD         SPIFFE trust domain (default cluster.local)
              --transparent             IP_TRANSPARENT capture listeners (eBPF capture delivers to them)
              --socks5-address ADDR     bind SOCKS5 here instead of loopback (hosts without capture)
              --drain-timeout 30s       how long live connections may finish on SIGTERM
              --outbound-port, --inbound-port, --hbone-port, --socks5-port,
              --admin-port, --metrics-port, --readiness-port   override Istio's default ports
            """;

    private ZtunnelMain() {}

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args, Set.of("mesh", "node", "ca-dir", "listen-address", "trust-domain",
                "drain-timeout", "socks5-address", "outbound-port", "inbound-port", "hbone-port", "socks5-port", "admin-port",
                "metrics-port", "readiness-port", "threads"), Set.of("transparent", "help"));
        if (flags.bool("help")) {
            System.out.print(USAGE);
            return;
        }
        ZtunnelConfig config = config(flags);
        if (!flags.errors().isEmpty()) {
            flags.errors().forEach(e -> System.err.println("mesh ztunnel: " + e));
            System.err.print(USAGE);
            System.exit(2);
        }
        EmbeddedCa ca = EmbeddedCa.loadOrCreate(config.caDir(), config.trustDomain(), Clock.systemUTC());
        Ztunnel ztunnel = Ztunnel.start(config, ca, ca.bundle());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ztunnel.drain(config.drainTimeout());
            ztunnel.close();
            stopped.countDown();
        }, "ztunnel-shutdown"));
        System.out.println("ztunnel for node " + config.node() + " running; HBONE on " + ztunnel.hboneAddress()
                + ", SOCKS5 on " + ztunnel.socks5Address() + ", admin on " + ztunnel.adminAddress());
        stopped.await();
    }

    static ZtunnelConfig config(Flags flags) {
        String mesh = flags.require("mesh");
        String node = flags.require("node");
        String caDir = flags.require("ca-dir");
        if (!mesh.isEmpty() && !Files.isReadable(Path.of(mesh))) {
            flags.error("--mesh " + mesh + ": no such readable file");
        }
        ZtunnelConfig defaults = ZtunnelConfig.defaults(node, Path.of(mesh.isEmpty() ? "." : mesh),
                Path.of(caDir.isEmpty() ? "." : caDir));
        ZtunnelConfig.Ports d = defaults.ports();
        ZtunnelConfig.Ports ports = new ZtunnelConfig.Ports(flags.port("outbound-port", d.outbound()),
                flags.port("inbound-port", d.inbound()), flags.port("hbone-port", d.hbone()),
                flags.port("socks5-port", d.socks5()), flags.port("admin-port", d.admin()),
                flags.port("metrics-port", d.metrics()), flags.port("readiness-port", d.readiness()));
        ZtunnelConfig config = defaults.withPorts(ports)
                .withTransparent(flags.bool("transparent"))
                .withDrainTimeout(flags.duration("drain-timeout", Duration.ofSeconds(30)));
        Optional<InetAddress> listen = flags.ip("listen-address");
        if (listen.isPresent()) {
            config = config.withListenAddress(listen.get());
        }
        Optional<String> threads = flags.get("threads");
        if (threads.isPresent()) {
            try {
                config = config.withWorkerThreads(Integer.parseInt(threads.get()));
            } catch (NumberFormatException e) {
                flags.error("--threads must be a number");
            }
        }
        Optional<String> td = flags.get("trust-domain");
        if (td.isPresent()) {
            config = config.toBuilder().trustDomain(td.get()).build();
        }
        Optional<InetAddress> socks = flags.ip("socks5-address");
        if (socks.isPresent()) {
            config = config.toBuilder().socks5Address(socks.get()).build();
        }
        return config;
    }
}
