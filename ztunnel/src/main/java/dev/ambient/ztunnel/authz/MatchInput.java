package dev.ambient.ztunnel.authz;

/**
 * The connection facts a {@link Match} compares, extracted once per authorization so that checking
 * many policies does not copy the address bytes again for every CIDR.
 *
 * @param principal       source principal, or null for plaintext
 * @param namespace       source namespace, or null for plaintext
 * @param sourceIp        network-order bytes (4 or 16)
 * @param destinationIp   network-order bytes (4 or 16)
 * @param destinationPort destination port
 */
record MatchInput(String principal, String namespace, byte[] sourceIp, byte[] destinationIp, int destinationPort) {

    static MatchInput of(ConnectionContext context) {
        return new MatchInput(
                context.sourcePrincipal().orElse(null),
                context.sourceNamespace().orElse(null),
                context.sourceIp().getAddress(),
                context.destinationIp().getAddress(),
                context.destinationPort());
    }
}
