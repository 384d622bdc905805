package dev.ambient.ztunnel.authz;

import dev.ambient.ztunnel.config.Diagnostics;
import dev.ambient.ztunnel.config.FieldReader;
import dev.ambient.ztunnel.config.FieldReader.Scalar;
import dev.ambient.ztunnel.config.ParseResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Converts one {@code spec.rules[i]} of an Istio AuthorizationPolicy into an L4 {@link Rule}, the
 * way istiod converts it for ztunnel: the {@code from} entries form one clause, the {@code to}
 * entries another, and each {@code when} condition one more.
 *
 * <p>HTTP attributes (methods, paths, request principals, headers, ...) cannot be seen at L4, and
 * both ways of ignoring them must err towards denying: a rule of an ALLOW policy that needs them
 * never matches, while in a DENY policy they are dropped so the rule denies on its L4 conditions
 * alone (an entry or condition made only of HTTP attributes then holds for every connection).
 * Either way a warning tells the operator to use a waypoint.
 */
final class RuleConverter {
    private static final List<String> SOURCE_FIELDS = List.of("principals", "notPrincipals", "requestPrincipals",
            "notRequestPrincipals", "namespaces", "notNamespaces", "ipBlocks", "notIpBlocks", "remoteIpBlocks",
            "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts");
    private static final List<String> SOURCE_HTTP_FIELDS = List.of("requestPrincipals", "notRequestPrincipals");
    private static final List<String> OPERATION_FIELDS = List.of("ports", "notPorts", "hosts", "notHosts",
            "methods", "notMethods", "paths", "notPaths");
    private static final List<String> OPERATION_HTTP_FIELDS = List.of("hosts", "notHosts", "methods",
            "notMethods", "paths", "notPaths");

    private final Policy.Action action;
    private final String policyNamespace;

    RuleConverter(Policy.Action action, String policyNamespace) {
        this.action = action;
        this.policyNamespace = policyNamespace;
    }

    /**
     * The L4 form of the rule, or empty when it can never match at L4. Problems are recorded in the
     * reader's diagnostics.
     */
    Optional<Rule> convert(FieldReader rule) {
        Set<String> httpAttributes = new LinkedHashSet<>();
        List<Clause> clauses = new ArrayList<>();
        boolean canMatch = true;

        requireNonEmptyIfSet(rule, "from");
        List<Optional<Match>> sources = new ArrayList<>();
        for (FieldReader from : rule.objects("from")) {
            requiredObject(from, "source").ifPresent(src -> sources.add(source(src, httpAttributes)));
        }
        canMatch &= addClause(clauses, sources);

        requireNonEmptyIfSet(rule, "to");
        List<Optional<Match>> operations = new ArrayList<>();
        for (FieldReader to : rule.objects("to")) {
            requiredObject(to, "operation").ifPresent(op -> operations.add(Optional.of(operation(op, httpAttributes))));
        }
        canMatch &= addClause(clauses, operations);

        requireNonEmptyIfSet(rule, "when");
        for (FieldReader when : rule.objects("when")) {
            // An HTTP condition yields no clause: for DENY it is assumed to hold; for ALLOW the rule is dropped below.
            condition(when, httpAttributes).ifPresent(match -> clauses.add(Clause.of(match)));
        }

        if (!httpAttributes.isEmpty()) {
            String found = "uses HTTP attributes that ztunnel cannot enforce (" + String.join(", ", httpAttributes) + "); ";
            String advice = ". Enforce HTTP rules in a waypoint (bind the policy with targetRefs)";
            if (action == Policy.Action.ALLOW) {
                rule.warn("", found + "in an ALLOW policy this rule never matches, which allows less than requested"
                        + advice);
                return Optional.empty();
            }
            rule.warn("", found + "this DENY rule is enforced on its L4 conditions only, which denies more than "
                    + "requested" + (clauses.isEmpty() && canMatch
                            ? "; with no L4 condition left it denies every connection the policy applies to" : "")
                    + advice);
        }
        return canMatch ? Optional.of(new Rule(clauses)) : Optional.empty();
    }

    /**
     * Adds the clause made of the entries; false when no entry can ever match (the rule then
     * never matches). An entry with no L4 condition left holds for everything, and so does the
     * clause, which is then left out.
     */
    private static boolean addClause(List<Clause> clauses, List<Optional<Match>> entries) {
        if (entries.isEmpty()) {
            return true;
        }
        List<Match> alternatives = new ArrayList<>();
        for (Optional<Match> entry : entries) {
            if (entry.isPresent()) {
                if (entry.get().isEmpty()) {
                    return true;
                }
                alternatives.add(entry.get());
            }
        }
        if (alternatives.isEmpty()) {
            return false;
        }
        clauses.add(new Clause(alternatives));
        return true;
    }

    /** A {@code from[].source}; empty when it can never match. */
    private Optional<Match> source(FieldReader source, Set<String> httpAttributes) {
        requireAnyOf(source, SOURCE_FIELDS);
        boolean serviceAccounts = source.hasContent("serviceAccounts") || source.hasContent("notServiceAccounts");
        if (serviceAccounts && (source.hasContent("principals") || source.hasContent("notPrincipals")
                || source.hasContent("namespaces") || source.hasContent("notNamespaces"))) {
            source.error("", "serviceAccounts and notServiceAccounts cannot be combined with principals or namespaces");
        }
        Match.Builder match = Match.builder()
                .principals(principals(source.scalars("principals"), source.diagnostics()))
                .notPrincipals(principals(source.scalars("notPrincipals"), source.diagnostics()))
                .namespaces(patterns(source.scalars("namespaces"), source.diagnostics()))
                .notNamespaces(patterns(source.scalars("notNamespaces"), source.diagnostics()))
                .principals(serviceAccounts(source.scalars("serviceAccounts"), source.diagnostics()))
                .notPrincipals(serviceAccounts(source.scalars("notServiceAccounts"), source.diagnostics()))
                .notSourceIps(cidrs(source.scalars("notIpBlocks"), source.diagnostics()))
                // At L4 the "remote" address is the peer address itself: no proxy header is read.
                .notSourceIps(cidrs(source.scalars("notRemoteIpBlocks"), source.diagnostics()));
        List<Cidr> ipBlocks = cidrs(source.scalars("ipBlocks"), source.diagnostics());
        List<Cidr> remoteIpBlocks = cidrs(source.scalars("remoteIpBlocks"), source.diagnostics());
        if (!ipBlocks.isEmpty() && !remoteIpBlocks.isEmpty()) {
            // Both must hold for the same address, so only their overlap can match.
            List<Cidr> overlap = new ArrayList<>();
            for (Cidr a : ipBlocks) {
                for (Cidr b : remoteIpBlocks) {
                    a.intersect(b).ifPresent(overlap::add);
                }
            }
            if (overlap.isEmpty()) {
                source.warn("remoteIpBlocks", "no address is in both ipBlocks and remoteIpBlocks (at L4 both "
                        + "are the peer address), so this source never matches");
                return Optional.empty();
            }
            match.sourceIps(overlap);
        } else {
            match.sourceIps(ipBlocks).sourceIps(remoteIpBlocks);
        }
        for (String field : SOURCE_HTTP_FIELDS) {
            noteHttp(source, field, httpAttributes);
        }
        return Optional.of(match.build());
    }

    /** A {@code to[].operation}. */
    private static Match operation(FieldReader operation, Set<String> httpAttributes) {
        requireAnyOf(operation, OPERATION_FIELDS);
        Match match = Match.builder()
                .destinationPorts(ports(operation.scalars("ports"), operation.diagnostics()))
                .notDestinationPorts(ports(operation.scalars("notPorts"), operation.diagnostics()))
                .build();
        for (String field : OPERATION_HTTP_FIELDS) {
            noteHttp(operation, field, httpAttributes);
        }
        return match;
    }

    /** A {@code when[]} condition; empty for an HTTP (or unknown) attribute. */
    private static Optional<Match> condition(FieldReader when, Set<String> httpAttributes) {
        if (!when.has("key")) {
            when.error("key", "is required");
            return Optional.empty();
        }
        Optional<String> key = when.string("key");
        if (key.isEmpty()) {
            return Optional.empty(); // wrong type, already reported
        }
        if (key.get().isEmpty()) {
            when.error("key", "must not be empty");
            return Optional.empty();
        }
        List<Scalar> values = when.scalars("values");
        List<Scalar> notValues = when.scalars("notValues");
        if (!when.hasContent("values") && !when.hasContent("notValues")) {
            when.error("", "values or notValues is required for key " + Diagnostics.quote(key.get()));
        }
        Diagnostics d = when.diagnostics();
        Match.Builder match = Match.builder();
        switch (key.get()) {
            // remote.ip is the peer address at L4, like remoteIpBlocks.
            case "source.ip", "remote.ip" -> match.sourceIps(cidrs(values, d)).notSourceIps(cidrs(notValues, d));
            case "source.namespace" -> match.namespaces(patterns(values, d)).notNamespaces(patterns(notValues, d));
            case "source.principal" -> match.principals(principals(values, d)).notPrincipals(principals(notValues, d));
            case "destination.ip" -> match.destinationIps(cidrs(values, d)).notDestinationIps(cidrs(notValues, d));
            case "destination.port" -> match.destinationPorts(ports(values, d)).notDestinationPorts(ports(notValues, d));
            default -> {
                httpAttributes.add(key.get());
                return Optional.empty();
            }
        }
        return Optional.of(match.build());
    }

    private List<StringMatch> serviceAccounts(List<Scalar> values, Diagnostics d) {
        List<StringMatch> out = new ArrayList<>(values.size());
        for (Scalar value : values) {
            String[] parts = value.text().split("/", -1);
            boolean valid = !value.text().isEmpty() && !value.text().contains("*") && parts.length <= 2
                    && !parts[0].isEmpty() && !parts[parts.length - 1].isEmpty();
            if (!valid) {
                d.error(value.path(), Diagnostics.quote(value.text())
                        + " is not a service account name or namespace/name (wildcards are not supported)");
                continue;
            }
            String namespace = parts.length == 2 ? parts[0] : policyNamespace;
            String account = parts[parts.length - 1];
            // Principals are <trust-domain>/ns/<ns>/sa/<sa>; names cannot contain '/', so the suffix is exact
            // whatever the trust domain.
            out.add(StringMatch.suffix("/ns/" + namespace + "/sa/" + account));
        }
        return out;
    }

    private static List<StringMatch> principals(List<Scalar> values, Diagnostics d) {
        for (Scalar value : values) {
            if (value.text().startsWith("spiffe://")) {
                d.warn(value.path(), Diagnostics.quote(value.text()) + " never matches: principals are written "
                        + "without spiffe://, e.g. cluster.local/ns/default/sa/sleep");
            }
        }
        return patterns(values, d);
    }

    private static List<StringMatch> patterns(List<Scalar> values, Diagnostics d) {
        List<StringMatch> out = new ArrayList<>(values.size());
        for (Scalar value : values) {
            if (value.text().isEmpty()) {
                d.error(value.path(), "must not be empty (use \"*\" to require any value)");
            } else {
                out.add(StringMatch.parse(value.text()));
            }
        }
        return out;
    }

    private static List<Cidr> cidrs(List<Scalar> values, Diagnostics d) {
        List<Cidr> out = new ArrayList<>(values.size());
        for (Scalar value : values) {
            ParseResult<Cidr> cidr = Cidr.parse(value.text());
            if (cidr.isOk()) {
                out.add(cidr.value());
            } else {
                cidr.errors().forEach(error -> d.error(value.path(), error));
            }
        }
        return out;
    }

    private static List<Integer> ports(List<Scalar> values, Diagnostics d) {
        List<Integer> out = new ArrayList<>(values.size());
        for (Scalar value : values) {
            int port = parsePort(value.text());
            if (port < 0) {
                d.error(value.path(), Diagnostics.quote(value.text()) + " is not a port number (1-65535); "
                        + "port names are not supported");
            } else {
                out.add(port);
            }
        }
        return out;
    }

    private static int parsePort(String text) {
        // Decimal digits only (no sign, no spaces); leading zeros are harmless here, as in Istio.
        if (text.isEmpty() || text.length() > 10) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value >= 1 && value <= 65535 ? (int) value : -1;
    }

    private static void noteHttp(FieldReader reader, String field, Set<String> httpAttributes) {
        reader.scalars(field); // type-checks the values even though they are not enforced here
        if (reader.hasContent(field)) {
            httpAttributes.add(field);
        }
    }

    private static void requireAnyOf(FieldReader reader, List<String> fields) {
        for (String field : fields) {
            if (reader.hasContent(field)) {
                return;
            }
        }
        reader.error("", "must set at least one of " + String.join(", ", fields));
    }

    private static void requireNonEmptyIfSet(FieldReader rule, String field) {
        if (rule.has(field) && !rule.hasContent(field)) {
            rule.error(field, "must not be empty; omit it to match any connection");
        }
    }

    private static Optional<FieldReader> requiredObject(FieldReader entry, String field) {
        if (!entry.has(field)) {
            entry.error(field, "is required");
        }
        return entry.object(field);
    }
}
