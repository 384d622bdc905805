package dev.ambient.ztunnel.authz;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the destination side knows about one inbound connection when it authorizes it.
 *
 * <p>The source identity must come from the verified peer certificate, never from an IP lookup:
 * an IP can be spoofed or reused, a certificate cannot. That is why a source namespace is only
 * accepted together with a principal, and must be the namespace named inside that principal.
 * Behind a waypoint the source identity is the waypoint's.
 *
 * @param sourcePrincipal      Istio principal form {@code <trust-domain>/ns/<ns>/sa/<sa>} (no
 *                             {@code spiffe://}); empty for plaintext
 * @param sourceNamespace      the namespace inside the principal; empty for plaintext
 * @param sourceIp             the peer address as seen by the destination
 * @param destinationIp        the original destination address
 * @param destinationPort      the original destination port, 1-65535
 * @param destinationNamespace namespace of the destination workload
 * @param destinationLabels    labels of the destination workload, for selector policies
 */
public record ConnectionContext(
        Optional<String> sourcePrincipal,
        Optional<String> sourceNamespace,
        InetAddress sourceIp,
        InetAddress destinationIp,
        int destinationPort,
        String destinationNamespace,
        Map<String, String> destinationLabels) {

    private static final String SPIFFE_SCHEME = "spiffe://";

    public ConnectionContext {
        Objects.requireNonNull(sourcePrincipal, "sourcePrincipal");
        Objects.requireNonNull(sourceNamespace, "sourceNamespace");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(destinationIp, "destinationIp");
        Objects.requireNonNull(destinationNamespace, "destinationNamespace");
        destinationLabels = Map.copyOf(destinationLabels);
        if (destinationPort < 1 || destinationPort > 65535) {
            throw new IllegalArgumentException("destination port " + destinationPort + " is not in 1-65535");
        }
        if (sourcePrincipal.isPresent()) {
            String principal = sourcePrincipal.get();
            if (principal.isEmpty() || principal.startsWith(SPIFFE_SCHEME)) {
                throw new IllegalArgumentException("source principal must be in Istio form "
                        + "<trust-domain>/ns/<ns>/sa/<sa> without spiffe://, got \"" + principal + "\"");
            }
            if (sourceNamespace.isPresent()
                    && !principal.contains("/ns/" + sourceNamespace.get() + "/sa/")) {
                throw new IllegalArgumentException("source namespace " + sourceNamespace.get()
                        + " is not the namespace of principal " + principal);
            }
        } else if (sourceNamespace.isPresent()) {
            throw new IllegalArgumentException("a source namespace (" + sourceNamespace.get()
                    + ") needs an authenticated principal; plaintext peers have no namespace");
        }
    }

    /** A plaintext peer: no principal, no namespace. */
    public static ConnectionContext plaintext(InetAddress sourceIp, InetAddress destinationIp, int destinationPort,
            String destinationNamespace, Map<String, String> destinationLabels) {
        return new ConnectionContext(Optional.empty(), Optional.empty(), sourceIp, destinationIp, destinationPort,
                destinationNamespace, destinationLabels);
    }

    /**
     * An mTLS peer; the source namespace is taken from the principal
     * ({@code <trust-domain>/ns/<ns>/sa/<sa>}), which must have that shape.
     */
    public static ConnectionContext mutualTls(String principal, InetAddress sourceIp, InetAddress destinationIp,
            int destinationPort, String destinationNamespace, Map<String, String> destinationLabels) {
        return new ConnectionContext(Optional.of(principal), Optional.of(namespaceOf(principal)), sourceIp,
                destinationIp, destinationPort, destinationNamespace, destinationLabels);
    }

    private static String namespaceOf(String principal) {
        String[] parts = principal.split("/", -1);
        if (parts.length != 5 || !parts[1].equals("ns") || !parts[3].equals("sa")
                || parts[0].isEmpty() || parts[2].isEmpty() || parts[4].isEmpty()) {
            throw new IllegalArgumentException(
                    "principal \"" + principal + "\" is not of the form <trust-domain>/ns/<ns>/sa/<sa>");
        }
        return parts[2];
    }
}
