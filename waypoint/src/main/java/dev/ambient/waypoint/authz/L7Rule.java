package dev.ambient.waypoint.authz;

import dev.ambient.ztunnel.authz.StringMatch;
import java.util.List;

/**
 * One rule of an AuthorizationPolicy as a waypoint evaluates it: it matches when some source
 * matches (or none is given) and some operation matches (or none is given). Within a source or an
 * operation every field given must hold; {@code notX} fields must not. A connection that is not HTTP
 * cannot be checked against HTTP fields, so, as in Istio, an operation with such fields never matches
 * it in an ALLOW rule and always does in a DENY rule: it is allowed less and denied more.
 */
public record L7Rule(List<Source> from, List<Operation> to) {

    /** {@code from.source}. */
    public record Source(List<StringMatch> principals, List<StringMatch> notPrincipals, List<StringMatch> namespaces,
            List<StringMatch> notNamespaces) {

        public Source {
            principals = List.copyOf(principals);
            notPrincipals = List.copyOf(notPrincipals);
            namespaces = List.copyOf(namespaces);
            notNamespaces = List.copyOf(notNamespaces);
        }

        boolean matches(RequestFacts r) {
            String principal = r.principal().orElse(null);
            String namespace = r.namespace().orElse(null);
            return holds(principals, notPrincipals, principal) && holds(namespaces, notNamespaces, namespace);
        }
    }

    /** {@code to.operation}; paths match the normalized path, hosts the normalized host. */
    public record Operation(List<StringMatch> methods, List<StringMatch> notMethods, List<StringMatch> paths,
            List<StringMatch> notPaths, List<StringMatch> hosts, List<StringMatch> notHosts) {

        public Operation {
            methods = List.copyOf(methods);
            notMethods = List.copyOf(notMethods);
            paths = List.copyOf(paths);
            notPaths = List.copyOf(notPaths);
            hosts = List.copyOf(hosts);
            notHosts = List.copyOf(notHosts);
        }

        boolean matches(RequestFacts r, boolean deny) {
            if (r.opaque() && httpFields()) {
                return deny;
            }
            return holds(methods, notMethods, r.method()) && holds(paths, notPaths, r.path())
                    && holds(hosts, notHosts, r.host());
        }

        private boolean httpFields() {
            return !(methods.isEmpty() && notMethods.isEmpty() && paths.isEmpty() && notPaths.isEmpty()
                    && hosts.isEmpty() && notHosts.isEmpty());
        }
    }

    public L7Rule {
        from = List.copyOf(from);
        to = List.copyOf(to);
    }

    /** {@code deny}: the rule belongs to a DENY policy (which decides how HTTP fields meet opaque bytes). */
    boolean matches(RequestFacts r, boolean deny) {
        return (from.isEmpty() || from.stream().anyMatch(s -> s.matches(r)))
                && (to.isEmpty() || to.stream().anyMatch(o -> o.matches(r, deny)));
    }

    /** Given patterns: one must match; {@code not} patterns: none may (an absent value matches none). */
    private static boolean holds(List<StringMatch> any, List<StringMatch> none, String value) {
        if (!any.isEmpty() && any.stream().noneMatch(m -> m.matches(value))) {
            return false;
        }
        return none.stream().noneMatch(m -> m.matches(value));
    }
}
