package dev.ambient.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One way for the client to reach the upstream; every measurement is made for each scenario side by
 * side. The pod scenarios (the default) run between N client and N server pods of a local cluster,
 * one mode of the mesh each; the loopback scenarios ({@code --loopback}) compare proxy pairs on one
 * host; the capture scenarios ({@code --capture}) isolate what eBPF capture costs.
 */
public enum Scenario {
    /** Client straight to the upstream: the baseline every proxy is compared with. */
    DIRECT("direct", Kind.LOOPBACK),
    /** Client → SOCKS5 of node-a's ztunnel → HBONE → node-b's ztunnel → upstream, two processes. */
    ZTUNNEL("ztunnel", Kind.LOOPBACK),
    /** Client → nginx (stream, plaintext in, mTLS out) → nginx (mTLS in, plaintext out) → upstream. */
    NGINX("nginx", Kind.LOOPBACK),
    /** Pod outside the mesh → pod outside the mesh on another node, no program on the path: the capture baseline. */
    NETNS_DIRECT("netns-direct", Kind.CAPTURE),
    /** The same between nodes whose agents attached their programs to every veth and uplink: what attaching costs. */
    NETNS_DIRECT_ATTACHED("netns-direct-attached", Kind.CAPTURE),
    /** Enrolled pod → pod outside the mesh: captured into ztunnel, which passes it on as plain TCP. */
    CAPTURE_PASSTHROUGH("capture-passthrough", Kind.CAPTURE),
    /** Enrolled pod → enrolled pod on another node: capture, HBONE mutual TLS, capture again, delivery. */
    CAPTURE_HBONE("capture-hbone", Kind.CAPTURE),
    /** Client pods call server pods on another node with no mesh at all: the physical baseline. */
    POD_DIRECT("direct", Kind.PODS),
    /** Enrolled pods: eBPF capture into each node's ztunnel, HBONE between the nodes. */
    AMBIENT("ambient", Kind.PODS),
    /**
     * Ambient plus a waypoint for the server namespace: the client's ztunnel tunnels to the waypoint,
     * which reads each HTTP/1.1 request, authorizes and routes it, and tunnels it on to a server pod.
     */
    AMBIENT_WAYPOINT("ambient-waypoint", Kind.PODS),
    /** Our sidecar in every pod: iptables capture into it, HBONE between the pods' sidecars. */
    SIDECAR("sidecar", Kind.PODS),
    /** HAProxy in every pod, iptables capture, mutual TLS between the pods' proxies. */
    HAPROXY_SIDECAR("haproxy-sidecar", Kind.PODS),
    /** nginx (stream) in every pod, iptables capture, mutual TLS between the pods' proxies. */
    NGINX_SIDECAR("nginx-sidecar", Kind.PODS),
    /**
     * nginx (http) in every pod, iptables capture: the client's nginx reads each request and sends it
     * over pooled mutual-TLS connections to the server's nginx, the L7 pair a waypoint is compared with.
     */
    NGINX_L7_SIDECAR("nginx-l7-sidecar", Kind.PODS);

    /** Which benchmark a scenario belongs to. */
    public enum Kind { PODS, LOOPBACK, CAPTURE }

    /** The scenarios of a capture run, in report order. */
    public static final List<Scenario> CAPTURE = List.of(NETNS_DIRECT, NETNS_DIRECT_ATTACHED, CAPTURE_PASSTHROUGH,
            CAPTURE_HBONE);

    /** The scenarios of a pod run, in report order. */
    public static final List<Scenario> PODS = List.of(POD_DIRECT, AMBIENT, AMBIENT_WAYPOINT, SIDECAR,
            HAPROXY_SIDECAR, NGINX_SIDECAR, NGINX_L7_SIDECAR);

    private final String label;
    private final Kind kind;

    Scenario(String label, Kind kind) {
        this.label = label;
        this.kind = kind;
    }

    public String label() {
        return label;
    }

    /** Whether this scenario runs in the namespaced capture benchmark rather than on loopback. */
    public boolean capture() {
        return kind == Kind.CAPTURE;
    }

    public Kind kind() {
        return kind;
    }

    /** What added latency is measured against: the same kind of path with nothing of the mesh on it. */
    public Scenario baseline() {
        return switch (kind) {
            case CAPTURE -> NETNS_DIRECT;
            case PODS -> POD_DIRECT;
            case LOOPBACK -> DIRECT;
        };
    }

    /** The scenario of {@code kind} named {@code name} on the command line, case-insensitively. */
    public static Optional<Scenario> parse(String name, Kind kind) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Scenario s : values()) {
            if (s.kind == kind && s.label.equals(wanted)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
