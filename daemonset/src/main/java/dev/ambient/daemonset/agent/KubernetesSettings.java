package dev.ambient.daemonset.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * What {@code mesh agent --kubernetes} reads from the environment its DaemonSet gives it: the node
 * (downward API), the trust domain, where the CA service is and the files mounted for it (its root
 * from a ConfigMap, a projected service-account token), and the drain periods. Only the node has no
 * default; a value that cannot be read is named with the variable it came from.
 *
 * @param node {@code NODE_NAME}
 * @param trustDomain {@code TRUST_DOMAIN}
 * @param caAddress {@code CA_ADDRESS}, host:port
 * @param caIdentity {@code CA_IDENTITY}, the CA's namespace/service-account
 * @param caRoot {@code CA_ROOT}
 * @param tokenFile {@code TOKEN_FILE}
 * @param bpffs {@code BPFFS}
 * @param drain {@code DRAIN_TIMEOUT}, as long as the DaemonSet's termination grace period allows
 * @param podDrain {@code POD_DRAIN}
 */
record KubernetesSettings(String node, String trustDomain, String caAddress, String caIdentity, Path caRoot,
        Path tokenFile, Path bpffs, Duration drain, Duration podDrain) {

    static KubernetesSettings fromEnvironment(Map<String, String> env) {
        String node = env.get("NODE_NAME");
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("NODE_NAME is not set: the DaemonSet passes it from spec.nodeName "
                    + "(fieldRef, the downward API)");
        }
        return new KubernetesSettings(node, env.getOrDefault("TRUST_DOMAIN", "cluster.local"),
                env.getOrDefault("CA_ADDRESS", "ambient-ca.ambient-system.svc:15012"),
                env.getOrDefault("CA_IDENTITY", "ambient-system/ambient-ca"),
                Path.of(env.getOrDefault("CA_ROOT", "/etc/ambient/ca/root-cert.pem")),
                Path.of(env.getOrDefault("TOKEN_FILE", "/var/run/secrets/tokens/ambient-ca")),
                Path.of(env.getOrDefault("BPFFS", "/sys/fs/bpf")), duration(env, "DRAIN_TIMEOUT", "PT30S"),
                duration(env, "POD_DRAIN", "PT10S"));
    }

    private static Duration duration(Map<String, String> env, String name, String fallback) {
        String text = env.getOrDefault(name, fallback).strip();
        try {
            return Duration.parse(text.startsWith("P") ? text : "PT" + text.toUpperCase(java.util.Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + "=" + text + " is not a duration such as 30s or 2m");
        }
    }
}
