package dev.ambient.ztunnel.authz;

import java.util.ArrayList;
import java.util.List;

/**
 * One alternative of a {@link Clause}: conditions on the source identity, the addresses and the
 * destination port, each with a negated form (mirrors {@code istio.security.Match}).
 *
 * <p>Every non-empty field must hold. A positive list holds when any entry matches; a negated list
 * holds when no entry matches. A plaintext peer has no principal and no namespace, so it fails
 * every positive principal or namespace list and passes every negated one; this is how Istio's
 * STRICT mTLS rule ({@code DENY notPrincipals: ["*"]}) rejects plaintext.
 *
 * <p>A match with no conditions at all matches every connection ({@link #ANY}). (istio/ztunnel
 * skips such a match instead; the parser here never produces one from a policy, so the difference
 * only shows for hand-built values, where "no condition" reading as "no restriction" is the
 * unsurprising choice.)
 */
public record Match(
        List<StringMatch> namespaces,
        List<StringMatch> notNamespaces,
        List<StringMatch> principals,
        List<StringMatch> notPrincipals,
        List<Cidr> sourceIps,
        List<Cidr> notSourceIps,
        List<Cidr> destinationIps,
        List<Cidr> notDestinationIps,
        List<Integer> destinationPorts,
        List<Integer> notDestinationPorts) {

    /** Matches every connection. */
    public static final Match ANY = builder().build();

    public Match {
        namespaces = List.copyOf(namespaces);
        notNamespaces = List.copyOf(notNamespaces);
        principals = List.copyOf(principals);
        notPrincipals = List.copyOf(notPrincipals);
        sourceIps = List.copyOf(sourceIps);
        notSourceIps = List.copyOf(notSourceIps);
        destinationIps = List.copyOf(destinationIps);
        notDestinationIps = List.copyOf(notDestinationIps);
        destinationPorts = List.copyOf(destinationPorts);
        notDestinationPorts = List.copyOf(notDestinationPorts);
        checkPorts(destinationPorts);
        checkPorts(notDestinationPorts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when the match has no conditions and therefore matches everything. */
    public boolean isEmpty() {
        return namespaces.isEmpty() && notNamespaces.isEmpty() && principals.isEmpty() && notPrincipals.isEmpty()
                && sourceIps.isEmpty() && notSourceIps.isEmpty() && destinationIps.isEmpty()
                && notDestinationIps.isEmpty() && destinationPorts.isEmpty() && notDestinationPorts.isEmpty();
    }

    /** Whether the connection satisfies every non-empty condition. */
    public boolean matches(ConnectionContext context) {
        return matches(MatchInput.of(context));
    }

    boolean matches(MatchInput in) {
        // Cheap integer comparisons first; identity strings and CIDRs after.
        return ports(destinationPorts, notDestinationPorts, in.destinationPort())
                && strings(principals, notPrincipals, in.principal())
                && strings(namespaces, notNamespaces, in.namespace())
                && ips(sourceIps, notSourceIps, in.sourceIp())
                && ips(destinationIps, notDestinationIps, in.destinationIp());
    }

    private static boolean ports(List<Integer> positive, List<Integer> negative, int port) {
        return (positive.isEmpty() || anyPort(positive, port)) && !anyPort(negative, port);
    }

    private static boolean anyPort(List<Integer> ports, int port) {
        // Compare unboxed: List.contains(int) would box the port on every call.
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i) == port) {
                return true;
            }
        }
        return false;
    }

    private static boolean strings(List<StringMatch> positive, List<StringMatch> negative, String value) {
        return (positive.isEmpty() || anyString(positive, value)) && !anyString(negative, value);
    }

    private static boolean anyString(List<StringMatch> patterns, String value) {
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matches(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean ips(List<Cidr> positive, List<Cidr> negative, byte[] address) {
        return (positive.isEmpty() || anyIp(positive, address)) && !anyIp(negative, address);
    }

    private static boolean anyIp(List<Cidr> cidrs, byte[] address) {
        for (int i = 0; i < cidrs.size(); i++) {
            if (cidrs.get(i).contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static void checkPorts(List<Integer> ports) {
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not in 1-65535");
            }
        }
    }

    /** Assembles a {@link Match} field by field; lists accumulate across calls. */
    public static final class Builder {
        private final List<StringMatch> namespaces = new ArrayList<>();
        private final List<StringMatch> notNamespaces = new ArrayList<>();
        private final List<StringMatch> principals = new ArrayList<>();
        private final List<StringMatch> notPrincipals = new ArrayList<>();
        private final List<Cidr> sourceIps = new ArrayList<>();
        private final List<Cidr> notSourceIps = new ArrayList<>();
        private final List<Cidr> destinationIps = new ArrayList<>();
        private final List<Cidr> notDestinationIps = new ArrayList<>();
        private final List<Integer> destinationPorts = new ArrayList<>();
        private final List<Integer> notDestinationPorts = new ArrayList<>();

        private Builder() {
        }

        public Builder namespaces(List<StringMatch> values) {
            namespaces.addAll(values);
            return this;
        }

        public Builder notNamespaces(List<StringMatch> values) {
            notNamespaces.addAll(values);
            return this;
        }

        public Builder principals(List<StringMatch> values) {
            principals.addAll(values);
            return this;
        }

        public Builder notPrincipals(List<StringMatch> values) {
            notPrincipals.addAll(values);
            return this;
        }

        public Builder sourceIps(List<Cidr> values) {
            sourceIps.addAll(values);
            return this;
        }

        public Builder notSourceIps(List<Cidr> values) {
            notSourceIps.addAll(values);
            return this;
        }

        public Builder destinationIps(List<Cidr> values) {
            destinationIps.addAll(values);
            return this;
        }

        public Builder notDestinationIps(List<Cidr> values) {
            notDestinationIps.addAll(values);
            return this;
        }

        public Builder destinationPorts(List<Integer> values) {
            destinationPorts.addAll(values);
            return this;
        }

        public Builder notDestinationPorts(List<Integer> values) {
            notDestinationPorts.addAll(values);
            return this;
        }

        public Match build() {
            return new Match(namespaces, notNamespaces, principals, notPrincipals, sourceIps, notSourceIps,
                    destinationIps, notDestinationIps, destinationPorts, notDestinationPorts);
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Match{");
        append(out, "namespaces", namespaces);
        append(out, "notNamespaces", notNamespaces);
        append(out, "principals", principals);
        append(out, "notPrincipals", notPrincipals);
        append(out, "sourceIps", sourceIps);
        append(out, "notSourceIps", notSourceIps);
        append(out, "destinationIps", destinationIps);
        append(out, "notDestinationIps", notDestinationIps);
        append(out, "destinationPorts", destinationPorts);
        append(out, "notDestinationPorts", notDestinationPorts);
        return out.append('}').toString();
    }

    private static void append(StringBuilder out, String name, List<?> values) {
        if (!values.isEmpty()) {
            out.append(out.charAt(out.length() - 1) == '{' ? "" : ", ").append(name).append('=').append(values);
        }
    }
}
