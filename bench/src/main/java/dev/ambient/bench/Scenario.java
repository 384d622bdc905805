package dev.ambient.bench;

import java.util.Locale;
import java.util.Optional;

/** One way for the client to reach the upstream; every measurement is made for each scenario side by side. */
public enum Scenario {
    /** Client straight to the upstream: the baseline every proxy is compared with. */
    DIRECT("direct"),
    /** Client → SOCKS5 of node-a's ztunnel → HBONE → node-b's ztunnel → upstream, two processes. */
    ZTUNNEL("ztunnel"),
    /** Client → nginx (stream, plaintext in, mTLS out) → nginx (mTLS in, plaintext out) → upstream. */
    NGINX("nginx");

    private final String label;

    Scenario(String label) {
        this.label = label;
    }

    public String label() {
        return label;
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
