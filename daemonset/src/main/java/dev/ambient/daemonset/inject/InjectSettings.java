package dev.ambient.daemonset.inject;

import java.util.Objects;

/**
 * What an injected sidecar looks like.
 *
 * @param image the agent image (it carries {@code mesh sidecar} and {@code mesh sidecar-init})
 * @param cpuRequest proxy CPU request, e.g. {@code 50m}
 * @param memoryRequest proxy memory request, e.g. {@code 96Mi}
 * @param cpuLimit proxy CPU limit
 * @param memoryLimit proxy memory limit
 */
public record InjectSettings(String image, String cpuRequest, String memoryRequest, String cpuLimit,
        String memoryLimit) {

    public InjectSettings {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(cpuRequest, "cpuRequest");
        Objects.requireNonNull(memoryRequest, "memoryRequest");
        Objects.requireNonNull(cpuLimit, "cpuLimit");
        Objects.requireNonNull(memoryLimit, "memoryLimit");
    }

    public static InjectSettings defaults() {
        return new InjectSettings("ambient-mesh/agent:0.1.0", "50m", "96Mi", "1", "256Mi");
    }
}
