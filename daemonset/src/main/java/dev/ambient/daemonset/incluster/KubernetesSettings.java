package dev.ambient.daemonset.incluster;

import dev.ambient.ztunnel.identity.SpiffeId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a process of the mesh reads from the environment its manifest gives it on a cluster (the
 * node agent in its DaemonSet, a waypoint in its Deployment): the node and, for a waypoint, its own
 * pod (downward API), the trust domain, where the CA service is and the files mounted for it (its
 * root from a ConfigMap, a projected service-account token), and the drain periods. Only the node has
 * no default; a value that cannot be read is named with the variable it came from.
 *
 * @param node {@code NODE_NAME}
 * @param pod {@code POD_NAMESPACE}/{@code POD_NAME}, when both are set
 * @param trustDomain {@code TRUST_DOMAIN}
 * @param caAddress {@code CA_ADDRESS}, host:port
 * @param caIdentity {@code CA_IDENTITY}, the CA's namespace/service-account
 * @param caRoot {@code CA_ROOT}
 * @param tokenFile {@code TOKEN_FILE}
 * @param bpffs {@code BPFFS}
 * @param drain {@code DRAIN_TIMEOUT}, as long as the termination grace period allows
 * @param podDrain {@code POD_DRAIN}
 */
public record KubernetesSettings(String node, Optional<String> pod, String trustDomain, String caAddress,
        SpiffeId caIdentity, Path caRoot, Path tokenFile, Path bpffs, Duration drain, Duration podDrain) {

    public static KubernetesSettings fromEnvironment(Map<String, String> env) {
        String node = env.get("NODE_NAME");
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("NODE_NAME is not set: the manifest passes it from spec.nodeName "
                    + "(fieldRef, the downward API)");
        }
        Optional<String> pod = Optional.ofNullable(env.get("POD_NAME")).filter(n -> !n.isBlank())
                .flatMap(name -> Optional.ofNullable(env.get("POD_NAMESPACE")).filter(ns -> !ns.isBlank())
                        .map(ns -> ns + "/" + name));
        String trustDomain = env.getOrDefault("TRUST_DOMAIN", "cluster.local");
        String caIdentity = env.getOrDefault("CA_IDENTITY", "ambient-system/ambient-ca");
        String[] ca = caIdentity.split("/");
        if (ca.length != 2 || ca[0].isBlank() || ca[1].isBlank()) {
            throw new IllegalArgumentException("CA_IDENTITY=" + caIdentity + " is not namespace/service-account");
        }
        return new KubernetesSettings(node, pod, trustDomain,
                env.getOrDefault("CA_ADDRESS", "ambient-ca.ambient-system.svc:15012"),
                SpiffeId.of(trustDomain, ca[0], ca[1]),
                Path.of(env.getOrDefault("CA_ROOT", "/etc/ambient/ca/root-cert.pem")),
                Path.of(env.getOrDefault("TOKEN_FILE", "/var/run/secrets/tokens/ambient-ca")),
                Path.of(env.getOrDefault("BPFFS", "/sys/fs/bpf")), duration(env, "DRAIN_TIMEOUT", "PT30S"),
                duration(env, "POD_DRAIN", "PT10S"));
    }

    /** This process's pod, which a waypoint must know to serve it. */
    public String requirePod() {
        return pod.orElseThrow(() -> new IllegalArgumentException("POD_NAME and POD_NAMESPACE are not both set: "
                + "the manifest passes them from metadata.name and metadata.namespace (fieldRef, the downward API)"));
    }

    private static Duration duration(Map<String, String> env, String name, String fallback) {
        String text = env.getOrDefault(name, fallback).strip();
        try {
            return Duration.parse(text.startsWith("P") ? text : "PT" + text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + "=" + text + " is not a duration such as 30s or 2m");
        }
    }
}
