package dev.ambient.ztunnel.config;

import dev.ambient.ztunnel.hbone.HboneSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one ztunnel needs to run, fixed at start.
 *
 * @param node the node whose workloads this ztunnel serves
 * @param meshFile the mesh file to load and watch (local mode)
 * @param caDir where the embedded CA keeps (or creates) {@code root-cert.pem} and {@code root-key.pem}
 * @param trustDomain the SPIFFE trust domain of every identity here
 * @param clusterDomain the DNS suffix of service hostnames
 * @param clusterName reported to peers in baggage
 * @param rootNamespace where mesh-wide policies live
 * @param listenAddress capture and HBONE listeners bind here (all addresses by default)
 * @param loopback admin binds here: it must never be reachable off the node
 * @param socks5Address SOCKS5 binds here: loopback by default; a pod-facing address lets pods on
 *     hosts without capture name their destinations (the source is still identified by address)
 * @param ports the listener ports
 * @param hbone HTTP/2 and pool settings of HBONE
 * @param transparent whether capture listeners use IP_TRANSPARENT (needed with eBPF capture)
 * @param preserveSource whether connections keep the workload's address as their source: HBONE is
 *     dialled from the source pod's IP and delivery from the original client's IP. Needs eBPF capture
 *     on both nodes, which steers the replies back to the proxy
 * @param dedicated the one workload ({@code namespace/name}) a sidecar proxy serves; empty for a node proxy
 * @param captureMode how captured connections reveal their original destination
 * @param proxyMark SO_MARK on the proxy's own connections (0: none), so capture rules let them pass
 * @param deliverFrom a fixed source for deliveries to local workloads (a sidecar delivers from
 *     127.0.0.6, which its pod's capture rules do not redirect)
 * @param drainTimeout how long live connections may finish on shutdown before they are cut
 * @param certificateLifetime requested SVID lifetime
 * @param workerThreads event loop threads (0: one per core)
 */
public record ZtunnelConfig(
        String node,
        Optional<Path> meshFile,
        Path caDir,
        String trustDomain,
        String clusterDomain,
        String clusterName,
        String rootNamespace,
        InetAddress listenAddress,
        InetAddress loopback,
        InetAddress socks5Address,
        Ports ports,
        HboneSettings hbone,
        boolean transparent,
        boolean preserveSource,
        Optional<String> dedicated,
        CaptureMode captureMode,
        int proxyMark,
        Optional<InetAddress> deliverFrom,
        Duration drainTimeout,
        Duration certificateLifetime,
        int workerThreads) {

    /**
     * Listener ports. 0 lets the kernel choose (tests); {@code hbone} is also the port dialled on peers,
     * so it must be the same on every node.
     */
    public record Ports(int outbound, int inbound, int hbone, int socks5, int admin, int metrics, int readiness) {
        public static Ports defaults() {
            return new Ports(15001, 15006, 15008, 15080, 15000, 15020, 15021);
        }

        /** Every listener on a kernel-chosen port except HBONE, which peers must be able to find. */
        public static Ports ephemeral(int hbone) {
            return new Ports(0, 0, hbone, 0, 0, 0, 0);
        }
    }

    /** Where a captured connection's original destination comes from. */
    public enum CaptureMode {
        /** eBPF sk_assign or TPROXY: the accepted socket's local address is the original destination. */
        LOCAL_ADDRESS,
        /** iptables REDIRECT (sidecar pods): the kernel keeps it as SO_ORIGINAL_DST. */
        REDIRECT
    }

    public ZtunnelConfig {
        Objects.requireNonNull(dedicated, "dedicated");
        Objects.requireNonNull(captureMode, "captureMode");
        Objects.requireNonNull(deliverFrom, "deliverFrom");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(meshFile, "meshFile");
        Objects.requireNonNull(caDir, "caDir");
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(clusterDomain, "clusterDomain");
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(rootNamespace, "rootNamespace");
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(loopback, "loopback");
        Objects.requireNonNull(socks5Address, "socks5Address");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(hbone, "hbone");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(certificateLifetime, "certificateLifetime");
    }

    /** Defaults for one node: Istio's ports, trust domain {@code cluster.local}, 24 h certificates. */
    public static ZtunnelConfig defaults(String node, Path meshFile, Path caDir) {
        return new ZtunnelConfig(node, Optional.of(meshFile), caDir, "cluster.local", "cluster.local", "Kubernetes",
                "istio-system", wildcard(), InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress(), Ports.defaults(),
                HboneSettings.defaults(), false, false, Optional.empty(), CaptureMode.LOCAL_ADDRESS, 0,
                Optional.empty(), Duration.ofSeconds(30), Duration.ofHours(24), 0);
    }

    public InetSocketAddress bind(int port) {
        return new InetSocketAddress(listenAddress, port);
    }

    public InetSocketAddress bindLoopback(int port) {
        return new InetSocketAddress(loopback, port);
    }

    public ZtunnelConfig withListenAddress(InetAddress address) {
        return toBuilder().listenAddress(address).build();
    }

    public ZtunnelConfig withPorts(Ports newPorts) {
        return toBuilder().ports(newPorts).build();
    }

    public ZtunnelConfig withHbone(HboneSettings settings) {
        return toBuilder().hbone(settings).build();
    }

    public ZtunnelConfig withDrainTimeout(Duration drain) {
        return toBuilder().drainTimeout(drain).build();
    }

    public ZtunnelConfig withTransparent(boolean on) {
        return toBuilder().transparent(on).build();
    }

    public ZtunnelConfig withWorkerThreads(int threads) {
        return toBuilder().workerThreads(threads).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a few settings of an existing config; every field starts from the config it was made from. */
    public static final class Builder {
        private String node;
        private Optional<Path> meshFile;
        private Path caDir;
        private String trustDomain;
        private String clusterDomain;
        private String clusterName;
        private String rootNamespace;
        private InetAddress listenAddress;
        private InetAddress loopback;
        private InetAddress socks5Address;
        private Ports ports;
        private HboneSettings hbone;
        private boolean transparent;
        private boolean preserveSource;
        private Optional<String> dedicated;
        private CaptureMode captureMode;
        private int proxyMark;
        private Optional<InetAddress> deliverFrom;
        private Duration drainTimeout;
        private Duration certificateLifetime;
        private int workerThreads;

        private Builder(ZtunnelConfig c) {
            node = c.node;
            meshFile = c.meshFile;
            caDir = c.caDir;
            trustDomain = c.trustDomain;
            clusterDomain = c.clusterDomain;
            clusterName = c.clusterName;
            rootNamespace = c.rootNamespace;
            listenAddress = c.listenAddress;
            loopback = c.loopback;
            socks5Address = c.socks5Address;
            ports = c.ports;
            hbone = c.hbone;
            transparent = c.transparent;
            preserveSource = c.preserveSource;
            dedicated = c.dedicated;
            captureMode = c.captureMode;
            proxyMark = c.proxyMark;
            deliverFrom = c.deliverFrom;
            drainTimeout = c.drainTimeout;
            certificateLifetime = c.certificateLifetime;
            workerThreads = c.workerThreads;
        }

        /** No mesh file: the state comes from elsewhere (the API server), fed into the proxy's store. */
        public Builder noMeshFile() {
            meshFile = Optional.empty();
            return this;
        }

        public Builder trustDomain(String value) {
            trustDomain = value;
            return this;
        }

        public Builder listenAddress(InetAddress value) {
            listenAddress = value;
            return this;
        }

        public Builder socks5Address(InetAddress value) {
            socks5Address = value;
            return this;
        }

        public Builder ports(Ports value) {
            ports = value;
            return this;
        }

        public Builder hbone(HboneSettings value) {
            hbone = value;
            return this;
        }

        public Builder transparent(boolean value) {
            transparent = value;
            return this;
        }

        public Builder preserveSource(boolean value) {
            preserveSource = value;
            return this;
        }

        /** A sidecar: serve only {@code workload} ({@code namespace/name}), captured by iptables in its pod. */
        public Builder sidecar(String workload, int mark, InetAddress deliverySource) {
            dedicated = Optional.of(workload);
            captureMode = CaptureMode.REDIRECT;
            proxyMark = mark;
            deliverFrom = Optional.of(deliverySource);
            return this;
        }

        /**
         * A waypoint's proxy: serve only the waypoint pod {@code workload} ({@code namespace/name}),
         * which nothing captures; tunnels arrive at its address and leave from it.
         */
        public Builder waypoint(String workload) {
            dedicated = Optional.of(workload);
            return this;
        }

        public Builder drainTimeout(Duration value) {
            drainTimeout = value;
            return this;
        }

        public Builder certificateLifetime(Duration value) {
            certificateLifetime = value;
            return this;
        }

        public Builder workerThreads(int value) {
            workerThreads = value;
            return this;
        }

        public ZtunnelConfig build() {
            return new ZtunnelConfig(node, meshFile, caDir, trustDomain, clusterDomain, clusterName, rootNamespace,
                    listenAddress, loopback, socks5Address, ports, hbone, transparent, preserveSource, dedicated,
                    captureMode, proxyMark, deliverFrom, drainTimeout,
                    certificateLifetime, workerThreads);
        }
    }

    private static InetAddress wildcard() {
        return new InetSocketAddress(0).getAddress();
    }
}
