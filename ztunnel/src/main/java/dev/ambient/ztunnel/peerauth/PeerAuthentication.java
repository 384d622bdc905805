package dev.ambient.ztunnel.peerauth;

import java.util.Map;
import java.util.Objects;

/**
 * One Istio {@code PeerAuthentication}: whether workloads it selects accept plaintext.
 *
 * @param name resource name
 * @param namespace resource namespace; in the root namespace without a selector it is mesh-wide
 * @param selector workload labels it applies to; empty for the whole namespace
 * @param mode the mode for every port
 * @param portModes per-port overrides ({@code portLevelMtls}), keyed by the workload's port
 */
public record PeerAuthentication(String name, String namespace, Map<String, String> selector, MtlsMode mode,
        Map<Integer, MtlsMode> portModes) {

    public PeerAuthentication {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        selector = Map.copyOf(selector);
        Objects.requireNonNull(mode, "mode");
        portModes = Map.copyOf(portModes);
    }

    public String key() {
        return namespace + "/" + name;
    }

    /** The mode this resource sets for {@code port}, UNSET when it leaves it to the enclosing scope. */
    MtlsMode modeFor(int port) {
        MtlsMode portMode = portModes.get(port);
        return portMode != null && portMode != MtlsMode.UNSET ? portMode : mode;
    }
}
