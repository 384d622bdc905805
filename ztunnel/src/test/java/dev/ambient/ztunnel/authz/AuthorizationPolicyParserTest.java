package dev.ambient.ztunnel.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.config.ParseResult;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizationPolicyParserTest {
    private static final String SLEEP = "cluster.local/ns/client/sa/sleep";
    private static final String OTHER = "cluster.local/ns/other/sa/curl";
    private static final AuthorizationPolicyParser PARSER = AuthorizationPolicyParser.withDefaultRootNamespace();

    // ---- scope, action, metadata --------------------------------------------------------------

    @Test
    void namespacePolicyWithPrincipals() {
        Policy policy = ok("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: allow-sleep, namespace: ns1}
                spec:
                  action: ALLOW
                  rules:
                  - from:
                    - source:
                        principals: ["cluster.local/ns/client/sa/sleep"]
                """);
        Match expected = Match.builder().principals(List.of(StringMatch.exact(SLEEP))).build();
        assertEquals(new Policy("allow-sleep", "ns1", Policy.Scope.NAMESPACE, Map.of(), Policy.Action.ALLOW,
                List.of(Rule.of(Clause.of(expected))), false), policy);
        assertEquals("ns1/allow-sleep", policy.key());
    }

    @Test
    void scopeFollowsSelectorAndRootNamespace() {
        Policy selected = ok(policy("ns1", "p", """
                selector: {matchLabels: {app: web, version: v1}}
                """));
        assertEquals(Policy.Scope.WORKLOAD_SELECTOR, selected.scope());
        assertEquals(Map.of("app", "web", "version", "v1"), selected.selector());

        assertEquals(Policy.Scope.GLOBAL, ok(policy("istio-system", "p", "action: DENY\nrules: [{}]")).scope());
        assertEquals(Policy.Scope.WORKLOAD_SELECTOR,
                ok(policy("istio-system", "p", "selector: {matchLabels: {app: web}}")).scope());

        AuthorizationPolicyParser custom = new AuthorizationPolicyParser("mesh-root");
        assertEquals(Policy.Scope.GLOBAL, custom.parse(resource(policy("mesh-root", "p", "{}"))).value().scope());
        assertEquals(Policy.Scope.NAMESPACE, custom.parse(resource(policy("istio-system", "p", "{}"))).value().scope());
    }

    @Test
    void selectorWithoutLabelsIsNamespaceWideWithWarning() {
        ParseResult<Policy> result = parse(policy("ns1", "p", "selector: {}"));
        assertEquals(Policy.Scope.NAMESPACE, result.value().scope());
        assertEquals(List.of("AuthorizationPolicy ns1/p: spec.selector: has no matchLabels, so the policy applies "
                + "to every workload in its namespace (or the whole mesh in the root namespace)"), result.warnings());
    }

    @Test
    void v1beta1IsAccepted() {
        ParseResult<Policy> result = parse("""
                apiVersion: security.istio.io/v1beta1
                kind: AuthorizationPolicy
                metadata: {name: p, namespace: ns1}
                spec: {action: DENY, rules: [{}]}
                """);
        assertTrue(result.isOk(), result.errors()::toString);
        assertEquals(Policy.Action.DENY, result.value().action());
    }

    @Test
    void otherKindsAreRejected() {
        assertEquals(List.of("PeerAuthentication ns1/p: expected apiVersion security.istio.io/v1 (or v1beta1) and "
                + "kind AuthorizationPolicy, got \"security.istio.io/v1\" \"PeerAuthentication\""), parse("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: p, namespace: ns1}
                spec: {}
                """).errors());
    }

    @Test
    void emptySpecAllowsNothing() {
        Policy policy = ok(policy("ns1", "allow-nothing", "{}"));
        assertEquals(Policy.Action.ALLOW, policy.action());
        assertEquals(List.of(), policy.rules());
        assertFalse(authorize(policy, mtls(SLEEP, 8080)).allowed());

        Policy noSpec = ok("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: allow-nothing, namespace: ns1}
                """);
        assertEquals(policy, noSpec);
    }

    @Test
    void emptyRuleAllowsEverything() {
        Policy policy = ok(policy("ns1", "allow-all", "rules: [{}]"));
        assertEquals(List.of(Rule.matchAll()), policy.rules());
        assertTrue(authorize(policy, plaintext(9090)).allowed());
    }

    @Test
    void denyWithoutRulesWarnsThatItDoesNothing() {
        ParseResult<Policy> result = parse(policy("ns1", "p", "action: DENY"));
        assertTrue(result.isOk());
        assertEquals(List.of("AuthorizationPolicy ns1/p: spec.rules: a DENY policy without rules matches nothing "
                + "and has no effect"), result.warnings());
    }

    @Test
    void dryRunAnnotation() {
        String yaml = """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata:
                  name: p
                  namespace: ns1
                  annotations: {"istio.io/dry-run": "%s"}
                spec: {action: DENY, rules: [{}]}
                """;
        assertTrue(ok(yaml.formatted("true")).dryRun());
        assertTrue(ok(yaml.formatted("True")).dryRun());
        assertFalse(ok(yaml.formatted("false")).dryRun());
        assertFalse(ok(policy("ns1", "p", "{}")).dryRun());
        assertEquals(List.of("AuthorizationPolicy ns1/p: metadata.annotations[istio.io/dry-run]: \"yes\" is not a "
                + "boolean (true or false)"), parse(yaml.formatted("yes")).errors());
    }

    @Test
    void auditIsSkippedWithWarning() {
        ParseResult<Policy> result = parse(policy("ns1", "audit", "action: AUDIT\nrules: [{}]"));
        assertTrue(result.isSkipped());
        assertEquals(List.of(), result.errors());
        assertEquals(1, result.warnings().size());
        assertTrue(result.warnings().getFirst().startsWith("AuthorizationPolicy ns1/audit: spec.action: AUDIT "),
                result.warnings()::toString);
    }

    @Test
    void customIsRejected() {
        ParseResult<Policy> result = parse(policy("ns1", "ext", """
                action: CUSTOM
                provider: {name: opa}
                rules: [{}]
                """));
        assertFalse(result.isOk());
        assertEquals(List.of("AuthorizationPolicy ns1/ext: spec.action: CUSTOM (external authorization) is not "
                + "supported by ztunnel; bind the policy to a waypoint with targetRefs to enforce it"), result.errors());
    }

    @Test
    void unknownActionIsRejected() {
        assertEquals(List.of("AuthorizationPolicy ns1/p: spec.action: \"allow\" is not an action; expected ALLOW, "
                + "DENY, AUDIT or CUSTOM"), parse(policy("ns1", "p", "action: allow")).errors());
    }

    @Test
    void targetRefPoliciesBelongToWaypoints() {
        ParseResult<Policy> single = parse(policy("ns1", "wp", """
                targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: waypoint}
                action: DENY
                rules: [{}]
                """));
        assertTrue(single.isSkipped());
        assertEquals(List.of("AuthorizationPolicy ns1/wp: spec.targetRef: binds the policy to a waypoint (Gateway or "
                + "Service): the waypoint enforces it, not ztunnel"), single.warnings());

        ParseResult<Policy> many = parse(policy("ns1", "wp", """
                targetRefs: [{kind: Service, group: "", name: reviews}]
                rules: [{to: [{operation: {methods: [GET]}}]}]
                """));
        assertTrue(many.isSkipped());
        assertTrue(many.warnings().getFirst().contains("spec.targetRefs"));
    }

    // ---- rule conversion ----------------------------------------------------------------------

    @Test
    void fromToAndWhenBecomeAndedClauses() {
        Policy policy = ok(policy("ns1", "p", """
                rules:
                - from:
                  - source: {namespaces: [client]}
                  - source: {principals: ["cluster.local/ns/other/*"]}
                  to:
                  - operation: {ports: ["8080", 9090]}
                  when:
                  - key: source.ip
                    values: ["10.0.0.0/8"]
                  - key: destination.port
                    notValues: ["9090"]
                """));
        Rule rule = policy.rules().getFirst();
        assertEquals(4, rule.clauses().size());
        assertEquals(Clause.of(
                Match.builder().namespaces(List.of(StringMatch.exact("client"))).build(),
                Match.builder().principals(List.of(StringMatch.prefix("cluster.local/ns/other/"))).build()),
                rule.clauses().get(0));
        assertEquals(Clause.of(Match.builder().destinationPorts(List.of(8080, 9090)).build()), rule.clauses().get(1));

        assertTrue(authorize(policy, mtls(SLEEP, 8080)).allowed());
        assertTrue(authorize(policy, mtls(OTHER, 8080)).allowed());
        assertFalse(authorize(policy, mtls(OTHER, 9090)).allowed(), "when notValues excludes 9090");
        assertFalse(authorize(policy, mtls("cluster.local/ns/x/sa/y", 8080)).allowed());
        assertFalse(authorize(policy, plaintext(8080)).allowed());
    }

    @Test
    void sourceFieldsMapToMatchFields() {
        Policy policy = ok(policy("ns1", "p", """
                rules:
                - from:
                  - source:
                      notPrincipals: ["*/sa/bad"]
                      notNamespaces: [evil]
                      ipBlocks: ["10.0.0.0/8", "fd00::/8"]
                      notIpBlocks: ["10.9.0.0/16"]
                      notRemoteIpBlocks: ["10.8.0.1"]
                      unknownField: ignored
                  unknownRuleField: [1, 2]
                unknownSpecField: {a: b}
                """));
        Match expected = Match.builder()
                .notPrincipals(List.of(StringMatch.suffix("/sa/bad")))
                .notNamespaces(List.of(StringMatch.exact("evil")))
                .sourceIps(List.of(cidr("10.0.0.0/8"), cidr("fd00::/8")))
                .notSourceIps(List.of(cidr("10.9.0.0/16"), cidr("10.8.0.1")))
                .build();
        assertEquals(List.of(Rule.of(Clause.of(expected))), policy.rules());
    }

    @Test
    void remoteIpBlocksAreThePeerAddressAtL4() {
        Policy remoteOnly = ok(policy("ns1", "p", "rules: [{from: [{source: {remoteIpBlocks: [10.0.0.0/24]}}]}]"));
        assertEquals(List.of(cidr("10.0.0.0/24")),
                remoteOnly.rules().getFirst().clauses().getFirst().matches().getFirst().sourceIps());

        Policy both = ok(policy("ns1", "p", """
                rules: [{from: [{source: {ipBlocks: [10.0.0.0/8], remoteIpBlocks: [10.0.0.0/24, 192.168.0.0/16]}}]}]
                """));
        assertEquals(List.of(cidr("10.0.0.0/24")),
                both.rules().getFirst().clauses().getFirst().matches().getFirst().sourceIps());

        ParseResult<Policy> disjoint = parse(policy("ns1", "p", """
                rules: [{from: [{source: {ipBlocks: [10.0.0.0/8], remoteIpBlocks: [192.168.0.0/16]}}]}]
                """));
        assertEquals(List.of(), disjoint.value().rules());
        assertEquals(List.of("AuthorizationPolicy ns1/p: spec.rules[0].from[0].source.remoteIpBlocks: no address is "
                + "in both ipBlocks and remoteIpBlocks (at L4 both are the peer address), so this source never "
                + "matches"), disjoint.warnings());
    }

    @Test
    void serviceAccountsMatchPrincipalsInAnyTrustDomain() {
        Policy policy = ok(policy("client", "p", """
                rules: [{from: [{source: {serviceAccounts: [sleep, other/curl]}}]}]
                """));
        assertEquals(List.of(StringMatch.suffix("/ns/client/sa/sleep"), StringMatch.suffix("/ns/other/sa/curl")),
                policy.rules().getFirst().clauses().getFirst().matches().getFirst().principals());
        assertTrue(authorize(policy, mtls("td.example/ns/client/sa/sleep", 8080, "client")).allowed());
        assertTrue(authorize(policy, mtls(OTHER, 8080, "client")).allowed());
        assertFalse(authorize(policy, mtls("cluster.local/ns/client/sa/sleepy", 8080, "client")).allowed());
        assertFalse(authorize(policy, plaintext(8080, "client")).allowed());

        assertEquals(List.of("AuthorizationPolicy ns1/p: spec.rules[0].from[0].source: serviceAccounts and "
                + "notServiceAccounts cannot be combined with principals or namespaces"),
                parse(policy("ns1", "p", "rules: [{from: [{source: {serviceAccounts: [a], namespaces: [b]}}]}]"))
                        .errors());
    }

    @Test
    void whenConditionsOnL4Attributes() {
        Policy policy = ok(policy("ns1", "p", """
                action: DENY
                rules:
                - when:
                  - {key: source.namespace, values: [other]}
                  - {key: source.principal, notValues: ["cluster.local/ns/other/sa/admin"]}
                  - {key: destination.ip, values: ["10.0.1.0/24"]}
                  - {key: destination.port, values: ["8080"]}
                  - {key: remote.ip, notValues: ["10.0.0.99"]}
                """));
        assertEquals(5, policy.rules().getFirst().clauses().size());
        assertFalse(authorize(policy, mtls(OTHER, 8080)).allowed());
        assertTrue(authorize(policy, mtls(OTHER, 9090)).allowed());
        assertTrue(authorize(policy, mtls(SLEEP, 8080)).allowed());
        assertTrue(authorize(policy, mtls("cluster.local/ns/other/sa/admin", 8080)).allowed());
    }

    // ---- HTTP attributes ----------------------------------------------------------------------

    @Test
    void allowRuleWithHttpAttributesNeverMatches() {
        ParseResult<Policy> result = parse(policy("ns1", "get-only", """
                rules:
                - from: [{source: {namespaces: [client]}}]
                  to: [{operation: {methods: [GET], paths: ["/api/*"]}}]
                  when: [{key: "request.headers[x-user]", values: [alice]}]
                """));
        assertTrue(result.isOk(), result.errors()::toString);
        assertEquals(List.of(), result.value().rules());
        assertEquals(List.of("AuthorizationPolicy ns1/get-only: spec.rules[0]: uses HTTP attributes that ztunnel "
                + "cannot enforce (methods, paths, request.headers[x-user]); in an ALLOW policy this rule never "
                + "matches, which allows less than requested. Enforce HTTP rules in a waypoint (bind the policy with "
                + "targetRefs)"), result.warnings());
        // Still an ALLOW policy: the workload is now deny-by-default.
        assertFalse(authorize(result.value(), mtls(SLEEP, 8080)).allowed());
    }

    @Test
    void allowKeepsItsL4RulesWhenAnotherRuleNeedsHttp() {
        Policy policy = ok(policy("ns1", "p", """
                rules:
                - from: [{source: {requestPrincipals: ["issuer/*"]}}]
                - to: [{operation: {ports: ["8080"]}}]
                """));
        assertEquals(1, policy.rules().size());
        assertTrue(authorize(policy, plaintext(8080)).allowed());
        assertFalse(authorize(policy, plaintext(9090)).allowed());
    }

    @Test
    void denyRuleWithHttpAttributesDeniesOnItsL4Part() {
        ParseResult<Policy> result = parse(policy("ns1", "no-post", """
                action: DENY
                rules:
                - to: [{operation: {ports: ["8080"], methods: [POST]}}]
                """));
        assertTrue(result.isOk(), result.errors()::toString);
        assertEquals(List.of(Rule.of(Clause.of(Match.builder().destinationPorts(List.of(8080)).build()))),
                result.value().rules());
        assertEquals(List.of("AuthorizationPolicy ns1/no-post: spec.rules[0]: uses HTTP attributes that ztunnel "
                + "cannot enforce (methods); this DENY rule is enforced on its L4 conditions only, which denies more "
                + "than requested. Enforce HTTP rules in a waypoint (bind the policy with targetRefs)"),
                result.warnings());
        assertFalse(authorize(result.value(), mtls(SLEEP, 8080)).allowed());
        assertTrue(authorize(result.value(), mtls(SLEEP, 9090)).allowed());
    }

    @Test
    void denyHttpOnlyConditionsHoldForEveryConnection() {
        Policy fromAndWhen = ok(policy("ns1", "p", """
                action: DENY
                rules:
                - from: [{source: {namespaces: [other]}}]
                  when: [{key: "request.auth.claims[group]", values: [admins]}]
                """));
        assertFalse(authorize(fromAndWhen, mtls(OTHER, 8080)).allowed());
        assertTrue(authorize(fromAndWhen, mtls(SLEEP, 8080)).allowed());

        ParseResult<Policy> httpOnly = parse(policy("ns1", "p", """
                action: DENY
                rules: [{from: [{source: {notRequestPrincipals: ["*"]}}]}]
                """));
        assertEquals(List.of(Rule.matchAll()), httpOnly.value().rules());
        assertTrue(httpOnly.warnings().getFirst().contains(
                "with no L4 condition left it denies every connection the policy applies to"),
                httpOnly.warnings()::toString);
        assertFalse(authorize(httpOnly.value(), mtls(SLEEP, 8080)).allowed());
    }

    // ---- validation errors --------------------------------------------------------------------

    @Test
    void badCidrNamesPolicyAndFieldPath() {
        ParseResult<Policy> result = parse(policy("ns1", "deny-all", """
                action: DENY
                rules:
                - from:
                  - source: {namespaces: [a]}
                  - source: {ipBlocks: ["10.0.0.0/8", "fd00::/8", "10.0.0.300/8"]}
                """));
        assertFalse(result.isOk());
        assertEquals(List.of("AuthorizationPolicy ns1/deny-all: spec.rules[0].from[1].source.ipBlocks[2]: "
                + "\"10.0.0.300/8\" is not an IP or CIDR"), result.errors());
    }

    @Test
    void badPortsNamePolicyAndFieldPath() {
        ParseResult<Policy> result = parse(policy("ns1", "p", """
                rules:
                - to: [{operation: {ports: ["http", "0", "65536", 65535, "8080x", "080"]}}]
                  when: [{key: destination.port, values: ["-1"]}]
                """));
        String prefix = "AuthorizationPolicy ns1/p: spec.rules[0].";
        String suffix = " is not a port number (1-65535); port names are not supported";
        assertEquals(List.of(
                prefix + "to[0].operation.ports[0]: \"http\"" + suffix,
                prefix + "to[0].operation.ports[1]: \"0\"" + suffix,
                prefix + "to[0].operation.ports[2]: \"65536\"" + suffix,
                prefix + "to[0].operation.ports[4]: \"8080x\"" + suffix,
                prefix + "when[0].values[0]: \"-1\"" + suffix), result.errors());
    }

    @Test
    void structuralErrorsAreAllReported() {
        ParseResult<Policy> result = parse(policy("ns1", "p", """
                selector: {matchLabels: {app: "*"}}
                rules:
                - from: []
                - to: [{}]
                - from: [{source: {}}]
                - when: [{key: source.ip}]
                - to: [{operation: {ports: 8080}}]
                - from: [{source: {principals: [""]}}]
                - when: [{values: [x]}, {key: "", values: [x]}]
                - not-a-rule
                """));
        String prefix = "AuthorizationPolicy ns1/p: ";
        assertEquals(List.of(
                prefix + "spec.selector.matchLabels.app: label keys must not be empty and wildcards are not "
                        + "supported in selectors",
                prefix + "spec.rules[7]: expected an object, got the string \"not-a-rule\"",
                prefix + "spec.rules[0].from: must not be empty; omit it to match any connection",
                prefix + "spec.rules[1].to[0].operation: is required",
                prefix + "spec.rules[2].from[0].source: must set at least one of principals, notPrincipals, "
                        + "requestPrincipals, notRequestPrincipals, namespaces, notNamespaces, ipBlocks, notIpBlocks, "
                        + "remoteIpBlocks, notRemoteIpBlocks, serviceAccounts, notServiceAccounts",
                prefix + "spec.rules[3].when[0]: values or notValues is required for key \"source.ip\"",
                prefix + "spec.rules[4].to[0].operation.ports: expected a list, got the number 8080",
                prefix + "spec.rules[5].from[0].source.principals[0]: must not be empty (use \"*\" to require any "
                        + "value)",
                prefix + "spec.rules[6].when[0].key: is required",
                prefix + "spec.rules[6].when[1].key: must not be empty"), result.errors());
    }

    @Test
    void spiffeSchemeInPrincipalIsWarned() {
        ParseResult<Policy> result = parse(policy("ns1", "p", """
                rules: [{from: [{source: {principals: ["spiffe://cluster.local/ns/a/sa/b"]}}]}]
                """));
        assertTrue(result.isOk());
        assertEquals(List.of("AuthorizationPolicy ns1/p: spec.rules[0].from[0].source.principals[0]: "
                + "\"spiffe://cluster.local/ns/a/sa/b\" never matches: principals are written without spiffe://, "
                + "e.g. cluster.local/ns/default/sa/sleep"), result.warnings());
    }

    @Test
    void missingNameIsAnError() {
        ParseResult<Policy> result = parse("""
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {namespace: ns1}
                spec: {}
                """);
        assertEquals(List.of("AuthorizationPolicy ns1/<unnamed>: metadata.name: is required"), result.errors());
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static String policy(String namespace, String name, String spec) {
        return """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                %s
                """.formatted(name, namespace, spec.indent(2).stripTrailing());
    }

    private static GenericKubernetesResource resource(String yaml) {
        return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    }

    private static ParseResult<Policy> parse(String yaml) {
        return PARSER.parse(resource(yaml));
    }

    private static Policy ok(String yaml) {
        ParseResult<Policy> result = parse(yaml);
        assertTrue(result.isOk(), () -> "errors: " + result.errors() + " warnings: " + result.warnings());
        return result.value();
    }

    private static Decision authorize(Policy policy, ConnectionContext connection) {
        return Authorizer.of(PARSER.rootNamespace(), List.of(policy)).authorize(connection);
    }

    private static Cidr cidr(String text) {
        return Cidr.parse(text).value();
    }

    private static ConnectionContext mtls(String principal, int port) {
        return mtls(principal, port, "ns1");
    }

    private static ConnectionContext mtls(String principal, int port, String namespace) {
        return ConnectionContext.mutualTls(principal, ip("10.0.0.1"), ip("10.0.1.10"), port, namespace,
                Map.of("app", "web"));
    }

    private static ConnectionContext plaintext(int port) {
        return plaintext(port, "ns1");
    }

    private static ConnectionContext plaintext(int port, String namespace) {
        return ConnectionContext.plaintext(ip("10.0.0.1"), ip("10.0.1.10"), port, namespace, Map.of("app", "web"));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
