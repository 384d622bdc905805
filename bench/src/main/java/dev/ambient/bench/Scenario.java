package dev.ambient.bench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One way for the client to reach the upstream; every measurement is made for each scenario side by
 * side. The loopback scenarios compare proxies on one host; the capture scenarios ({@code --capture})
 * run between pods of a local cluster in network namespaces, with node agents doing eBPF capture.
 */
public enum Scenario {
    /** Client straight to the upstream: the baseline every proxy is compared with. */
    DIRECT("direct", false),
    /** Client → SOCKS5 of node-a's ztunnel → HBONE → node-b's ztunnel → upstream, two processes. */
    ZTUNNEL("ztunnel", false),
    /** Client → nginx (stream, plaintext in, mTLS out) → nginx (mTLS in, plaintext out) → upstream. */
    NGINX("nginx", false),
    /** Pod outside the mesh → pod outside the mesh on another node, no program on the path: the capture baseline. */
    NETNS_DIRECT("netns-direct", true),
    /** The same between nodes whose agents attached their programs to every veth and uplink: what attaching costs. */
    NETNS_DIRECT_ATTACHED("netns-direct-attached", true),
    /** Enrolled pod → pod outside the mesh: captured into ztunnel, which passes it on as plain TCP. */
    CAPTURE_PASSTHROUGH("capture-passthrough", true),
    /** Enrolled pod → enrolled pod on another node: capture, HBONE mutual TLS, capture again, delivery. */
    CAPTURE_HBONE("capture-hbone", true);

    /** The scenarios of a capture run, in report order. */
    public static final List<Scenario> CAPTURE = List.of(NETNS_DIRECT, NETNS_DIRECT_ATTACHED, CAPTURE_PASSTHROUGH,
            CAPTURE_HBONE);

    private final String label;
    private final boolean capture;

    Scenario(String label, boolean capture) {
        this.label = label;
        this.capture = capture;
    }

    public String label() {
        return label;
    }

    /** Whether this scenario runs in the namespaced capture benchmark rather than on loopback. */
    public boolean capture() {
        return capture;
    }

    /** What added latency is measured against: the same kind of path with nothing of the mesh on it. */
    public Scenario baseline() {
        return capture ? NETNS_DIRECT : DIRECT;
    }

    /** The scenario named {@code name} on the command line, case-insensitively. */
    public static Optional<Scenario> parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (Scenario s : values()) {
            if (s.label.equals(wanted)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
