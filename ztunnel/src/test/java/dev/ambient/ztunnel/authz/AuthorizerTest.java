package dev.ambient.ztunnel.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RBAC truth table (RELIABILITY item 37): Istio's evaluation order, plaintext versus principal
 * rules, every match field and its negation, scopes, and dry-run.
 */
class AuthorizerTest {
    private static final String ROOT = "istio-system";
    private static final String SLEEP = "cluster.local/ns/client/sa/sleep";
    private static final String OTHER = "cluster.local/ns/other/sa/curl";
    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front");
    private static final Map<String, String> DB = Map.of("app", "db");

    // ---- the table ---------------------------------------------------------------------------

    static Stream<Arguments> truthTable() {
        Policy allowSleep = allow("ns1", "allow-sleep", rule(clause(match().principals(p(SLEEP)))));
        Policy denyAll = deny("ns1", "deny-all", Rule.matchAll());
        Policy strictMtls = deny("ns1", "strict", rule(clause(match().notPrincipals(p("*")))));
        Policy allowAnyPeer = allow("ns1", "allow-any-mtls", rule(clause(match().principals(p("*")))));
        Policy allowNotOther = allow("ns1", "allow-not-other", rule(clause(match().notPrincipals(p(OTHER)))));
        Policy allowFromClient = allow("ns1", "allow-client", rule(clause(match().namespaces(p("client")))));
        Policy denyNotClient = deny("ns1", "deny-not-client", rule(clause(match().notNamespaces(p("client")))));
        Policy allowLan = allow("ns1", "allow-lan", rule(clause(match().sourceIps(cidrs("10.0.0.0/24")))));
        Policy denyOffice = deny("ns1", "deny-office", rule(clause(match().notSourceIps(cidrs("10.0.0.0/8")))));
        Policy allow8080 = allow("ns1", "allow-8080", rule(clause(match().destinationPorts(List.of(8080)))));
        Policy denyNot8080 = deny("ns1", "deny-not-8080", rule(clause(match().notDestinationPorts(List.of(8080)))));
        Policy allowDstIp = allow("ns1", "allow-vip", rule(clause(match().destinationIps(cidrs("10.0.1.10")))));
        Policy denyNotDstIp = deny("ns1", "deny-not-vip",
                rule(clause(match().notDestinationIps(cidrs("10.0.1.0/24")))));
        Policy denyWeb = new Policy("deny-web", "ns1", Policy.Scope.WORKLOAD_SELECTOR, Map.of("app", "web"),
                Policy.Action.DENY, List.of(Rule.matchAll()), false);
        Policy denyWebMeshWide = new Policy("deny-web", ROOT, Policy.Scope.WORKLOAD_SELECTOR, Map.of("app", "web"),
                Policy.Action.DENY, List.of(Rule.matchAll()), false);
        Policy denyAllNs2 = deny("ns2", "deny-all", Rule.matchAll());
        Policy denyAllGlobal = deny(ROOT, "deny-all", Rule.matchAll());
        Policy allowNothing = allow("ns1", "allow-nothing");
        Policy allowEverything = allow("ns1", "allow-all", Rule.matchAll());
        Policy clientOn8080 = allow("ns1", "client-8080", rule(
                clause(match().namespaces(p("client"))),
                clause(match().destinationPorts(List.of(8080)))));
        Policy clientOrOther = allow("ns1", "client-or-other", rule(
                clause(match().namespaces(p("client")), match().namespaces(p("other")))));
        Policy twoRules = allow("ns1", "two-rules",
                rule(clause(match().destinationPorts(List.of(9090)))),
                rule(clause(match().principals(p(SLEEP)))));

        return Stream.of(
                row("no policies -> allow", List.of(), mtls(SLEEP), true, "", "allowed: no policies"),
                row("ALLOW matching principal -> allow", List.of(allowSleep), mtls(SLEEP), true,
                        "ns1/allow-sleep", "allowed by policy ns1/allow-sleep"),
                row("ALLOW present but not matching -> deny", List.of(allowSleep), mtls(OTHER), false, "",
                        "no ALLOW policy matched (1 applicable)"),
                row("DENY overrides matching ALLOW", List.of(allowSleep, denyAll), mtls(SLEEP), false,
                        "ns1/deny-all", "denied by policy ns1/deny-all"),
                row("DENY not matching, no ALLOW -> allow", List.of(strictMtls), mtls(SLEEP), true, "",
                        "allowed: no DENY policy matched and no ALLOW policy applies"),

                // Plaintext peers have no principal: positive principal lists fail, negated ones hold.
                row("principals rule never matches plaintext", List.of(allowSleep), plaintext(), false, "", null),
                row("principals [*] rejects plaintext", List.of(allowAnyPeer), plaintext(), false, "", null),
                row("principals [*] accepts any mTLS peer", List.of(allowAnyPeer), mtls(OTHER), true,
                        "ns1/allow-any-mtls", null),
                row("DENY notPrincipals [*] (STRICT) denies plaintext", List.of(strictMtls), plaintext(), false,
                        "ns1/strict", null),
                row("DENY notPrincipals [*] (STRICT) lets mTLS through", List.of(strictMtls), mtls(OTHER), true, "",
                        null),
                row("ALLOW notPrincipals holds for plaintext (as istio/ztunnel)", List.of(allowNotOther),
                        plaintext(), true, "ns1/allow-not-other", null),
                row("ALLOW notPrincipals excludes the listed peer", List.of(allowNotOther), mtls(OTHER), false, "",
                        null),

                row("namespaces: peer from listed namespace", List.of(allowFromClient), mtls(SLEEP), true,
                        "ns1/allow-client", null),
                row("namespaces: peer from another namespace", List.of(allowFromClient), mtls(OTHER), false, "",
                        null),
                row("namespaces: plaintext has no namespace", List.of(allowFromClient), plaintext(), false, "", null),
                row("notNamespaces: other namespace denied", List.of(denyNotClient), mtls(OTHER), false,
                        "ns1/deny-not-client", null),
                row("notNamespaces: listed namespace passes", List.of(denyNotClient), mtls(SLEEP), true, "", null),
                row("notNamespaces: plaintext denied", List.of(denyNotClient), plaintext(), false,
                        "ns1/deny-not-client", null),

                row("sourceIps: inside CIDR", List.of(allowLan), mtls(SLEEP), true, "ns1/allow-lan", null),
                row("sourceIps: outside CIDR", List.of(allowLan), conn(SLEEP, "192.168.1.5", "10.0.1.10", 8080), false,
                        "", null),
                row("sourceIps: plaintext judged by IP alone", List.of(allowLan), plaintext(), true, "ns1/allow-lan",
                        null),
                row("notSourceIps: outside denied", List.of(denyOffice), conn(SLEEP, "192.168.1.5", "10.0.1.10", 8080),
                        false, "ns1/deny-office", null),
                row("notSourceIps: inside passes", List.of(denyOffice), mtls(SLEEP), true, "", null),
                row("sourceIps: IPv6 peer vs IPv4 CIDR", List.of(allowLan), conn(SLEEP, "fd00::1", "fd00::2", 8080),
                        false, "", null),

                row("destinationPorts: listed port", List.of(allow8080), mtls(SLEEP), true, "ns1/allow-8080", null),
                row("destinationPorts: other port", List.of(allow8080), conn(SLEEP, "10.0.0.1", "10.0.1.10", 9090),
                        false, "", null),
                row("notDestinationPorts: other port denied", List.of(denyNot8080),
                        conn(SLEEP, "10.0.0.1", "10.0.1.10", 9090), false, "ns1/deny-not-8080", null),
                row("notDestinationPorts: listed port passes", List.of(denyNot8080), mtls(SLEEP), true, "", null),
                row("destinationIps: listed address", List.of(allowDstIp), mtls(SLEEP), true, "ns1/allow-vip", null),
                row("destinationIps: other address", List.of(allowDstIp), conn(SLEEP, "10.0.0.1", "10.0.1.11", 8080),
                        false, "", null),
                row("notDestinationIps: outside denied", List.of(denyNotDstIp),
                        conn(SLEEP, "10.0.0.1", "10.0.2.1", 8080), false, "ns1/deny-not-vip", null),
                row("notDestinationIps: inside passes", List.of(denyNotDstIp), mtls(SLEEP), true, "", null),

                row("selector scope: labels match", List.of(denyWeb), mtls(SLEEP), false, "ns1/deny-web", null),
                row("selector scope: labels differ", List.of(denyWeb), to(mtls(SLEEP), "ns1", DB), true, "",
                        "allowed: no policies"),
                row("selector scope: same labels, other namespace", List.of(denyWeb), to(mtls(SLEEP), "ns2", WEB),
                        true, "", "allowed: no policies"),
                row("selector in root namespace applies mesh-wide", List.of(denyWebMeshWide), mtls(SLEEP), false,
                        "istio-system/deny-web", null),
                row("selector in root namespace still needs the labels", List.of(denyWebMeshWide),
                        to(mtls(SLEEP), "ns1", DB), true, "", null),
                row("namespace scope: other namespace unaffected", List.of(denyAllNs2), mtls(SLEEP), true, "",
                        "allowed: no policies"),
                row("namespace scope: own namespace", List.of(denyAllNs2), to(mtls(SLEEP), "ns2", DB), false,
                        "ns2/deny-all", null),
                row("global scope from root namespace", List.of(denyAllGlobal), mtls(SLEEP), false,
                        "istio-system/deny-all", null),
                row("global scope covers the root namespace too", List.of(denyAllGlobal),
                        to(mtls(SLEEP), ROOT, DB), false, "istio-system/deny-all", null),
                row("global ALLOW counts as an ALLOW policy", List.of(allow(ROOT, "allow-8080",
                        rule(clause(match().destinationPorts(List.of(8080)))))),
                        conn(SLEEP, "10.0.0.1", "10.0.1.10", 9090), false, "", "no ALLOW policy matched (1 applicable)"),

                row("allow-nothing denies everything", List.of(allowNothing), mtls(SLEEP), false, "",
                        "no ALLOW policy matched (1 applicable)"),
                row("allow-nothing denies plaintext", List.of(allowNothing), plaintext(), false, "", null),
                row("rules [{}] allows everything", List.of(allowEverything), plaintext(), true, "ns1/allow-all",
                        null),
                row("allow-all does not beat a DENY", List.of(allowEverything, strictMtls), plaintext(), false,
                        "ns1/strict", null),

                row("clauses AND-ed: both hold", List.of(clientOn8080), mtls(SLEEP), true, "ns1/client-8080", null),
                row("clauses AND-ed: port fails", List.of(clientOn8080), conn(SLEEP, "10.0.0.1", "10.0.1.10", 9090),
                        false, "", null),
                row("clauses AND-ed: namespace fails", List.of(clientOn8080), mtls(OTHER), false, "", null),
                row("matches OR-ed: first", List.of(clientOrOther), mtls(SLEEP), true, "ns1/client-or-other", null),
                row("matches OR-ed: second", List.of(clientOrOther), mtls(OTHER), true, "ns1/client-or-other", null),
                row("matches OR-ed: neither", List.of(clientOrOther), mtls("cluster.local/ns/x/sa/y"), false, "", null),
                row("rules OR-ed: second rule", List.of(twoRules), mtls(SLEEP), true, "ns1/two-rules", null),
                row("rules OR-ed: first rule", List.of(twoRules), conn(OTHER, "10.0.0.1", "10.0.1.10", 9090), true,
                        "ns1/two-rules", null),
                row("rules OR-ed: none", List.of(twoRules), mtls(OTHER), false, "", null),
                row("any one of several ALLOW policies", List.of(allowSleep, allow8080), mtls(OTHER), true,
                        "ns1/allow-8080", null),
                row("several ALLOW policies, none matches", List.of(allowSleep, allowFromClient),
                        mtls("cluster.local/ns/x/sa/y"), false, "", "no ALLOW policy matched (2 applicable)"),

                row("dry-run DENY does not deny", List.of(dryRun(denyAll)), mtls(SLEEP), true, "",
                        "allowed: no policies"),
                row("dry-run ALLOW is not an ALLOW policy", List.of(dryRun(allowSleep)), mtls(OTHER), true, "",
                        "allowed: no policies"),
                row("dry-run ALLOW does not rescue a deny-by-default", List.of(dryRun(allowEverything), allowSleep),
                        mtls(OTHER), false, "", "no ALLOW policy matched (1 applicable)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truthTable")
    void truthTable(String name, List<Policy> policies, ConnectionContext connection, boolean allowed,
            String policy, String reason) {
        Decision decision = Authorizer.of(ROOT, policies).authorize(connection);
        assertEquals(allowed, decision.allowed(), () -> name + ": " + decision);
        assertEquals(policy, decision.policy(), () -> name + ": " + decision);
        if (reason != null) {
            assertEquals(reason, decision.reason());
        }
    }

    // ---- dry-run reporting -------------------------------------------------------------------

    @Test
    void dryRunDenyIsReportedAsWouldDeny() {
        Policy denyAll = dryRun(deny("ns1", "deny-all", Rule.matchAll()));
        Decision decision = Authorizer.of(ROOT, List.of(denyAll)).authorize(mtls(SLEEP));
        assertTrue(decision.allowed());
        assertEquals(List.of(DryRunResult.wouldDeny("ns1/deny-all")), decision.dryRuns());
        assertEquals("ns1/deny-all would deny", decision.dryRuns().getFirst().toString());
    }

    @Test
    void dryRunResultsAreWhatEnforcingThatPolicyWouldDecide() {
        Policy dryDenyOther = dryRun(deny("ns1", "deny-other", rule(clause(match().principals(p(OTHER))))));
        Policy dryAllowSleep = dryRun(allow("ns1", "allow-sleep", rule(clause(match().principals(p(SLEEP))))));
        Authorizer authorizer = Authorizer.of(ROOT, List.of(dryDenyOther, dryAllowSleep));

        Decision fromSleep = authorizer.authorize(mtls(SLEEP));
        assertTrue(fromSleep.allowed());
        assertEquals(List.of(DryRunResult.wouldAllow("ns1/allow-sleep"), DryRunResult.wouldAllow("ns1/deny-other")),
                fromSleep.dryRuns());

        Decision fromOther = authorizer.authorize(mtls(OTHER));
        assertTrue(fromOther.allowed());
        assertEquals(List.of(DryRunResult.wouldDeny("ns1/allow-sleep"), DryRunResult.wouldDeny("ns1/deny-other")),
                fromOther.dryRuns());
    }

    @Test
    void dryRunAllowIsSatisfiedByAnEnforcedAllow() {
        Policy allow8080 = allow("ns1", "allow-8080", rule(clause(match().destinationPorts(List.of(8080)))));
        Policy dryAllowOther = dryRun(allow("ns1", "allow-other", rule(clause(match().principals(p(OTHER))))));
        Decision decision = Authorizer.of(ROOT, List.of(allow8080, dryAllowOther)).authorize(mtls(SLEEP));
        assertTrue(decision.allowed());
        assertEquals(List.of(DryRunResult.wouldAllow("ns1/allow-other")), decision.dryRuns());
    }

    @Test
    void dryRunsAreReportedEvenWhenAnEnforcedDenyDecides() {
        Policy denyAll = deny("ns1", "deny-all", Rule.matchAll());
        Policy dryAllowAll = dryRun(allow("ns1", "allow-all", Rule.matchAll()));
        Decision decision = Authorizer.of(ROOT, List.of(denyAll, dryAllowAll)).authorize(plaintext());
        assertEquals("denied by policy ns1/deny-all", decision.reason());
        assertEquals(List.of(DryRunResult.wouldDeny("ns1/allow-all")), decision.dryRuns());
    }

    @Test
    void dryRunPoliciesOutOfScopeAreNotReported() {
        Policy elsewhere = dryRun(deny("ns2", "deny-all", Rule.matchAll()));
        assertEquals(List.of(), Authorizer.of(ROOT, List.of(elsewhere)).authorize(mtls(SLEEP)).dryRuns());
    }

    // ---- snapshot behaviour ------------------------------------------------------------------

    @Test
    void firstMatchingDenyInKeyOrderIsReported() {
        Policy b = deny("ns1", "b", Rule.matchAll());
        Policy a = deny("ns1", "a", Rule.matchAll());
        Policy global = deny(ROOT, "z", Rule.matchAll());
        Authorizer authorizer = Authorizer.of(ROOT, List.of(b, a, global));
        assertEquals("istio-system/z", authorizer.authorize(mtls(SLEEP)).policy());
        assertEquals(List.of("istio-system/z", "ns1/a", "ns1/b"),
                authorizer.policies().stream().map(Policy::key).toList());
    }

    @Test
    void laterPolicyWithSameKeyReplacesEarlier() {
        Policy denyAll = deny("ns1", "p", Rule.matchAll());
        Policy allowAll = allow("ns1", "p", Rule.matchAll());
        Authorizer authorizer = Authorizer.of(ROOT, List.of(denyAll, allowAll));
        assertEquals(List.of(allowAll), authorizer.policies());
        assertTrue(authorizer.authorize(mtls(SLEEP)).allowed());
    }

    @Test
    void applicableListsScopeMatchesOnly() {
        Policy global = deny(ROOT, "global", Rule.matchAll());
        Policy ns1 = deny("ns1", "ns-wide", Rule.matchAll());
        Policy ns2 = deny("ns2", "ns-wide", Rule.matchAll());
        Policy webOnly = new Policy("web", "ns1", Policy.Scope.WORKLOAD_SELECTOR, Map.of("app", "web"),
                Policy.Action.ALLOW, List.of(), false);
        Authorizer authorizer = Authorizer.of(ROOT, List.of(global, ns1, ns2, webOnly));
        assertEquals(List.of(global, ns1, webOnly), authorizer.applicable(mtls(SLEEP)));
        assertEquals(List.of(global, ns1), authorizer.applicable(to(mtls(SLEEP), "ns1", DB)));
    }

    @Test
    void emptyAuthorizerAllowsEverything() {
        assertTrue(Authorizer.empty(ROOT).authorize(plaintext()).allowed());
    }

    // ---- value validation --------------------------------------------------------------------

    @Test
    void connectionContextRefusesUnauthenticatedNamespace() {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionContext(Optional.empty(),
                Optional.of("client"), ip("10.0.0.1"), ip("10.0.1.10"), 8080, "ns1", WEB));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionContext(Optional.of(SLEEP),
                Optional.of("other"), ip("10.0.0.1"), ip("10.0.1.10"), 8080, "ns1", WEB));
        assertThrows(IllegalArgumentException.class, () -> ConnectionContext.mutualTls("spiffe://" + SLEEP,
                ip("10.0.0.1"), ip("10.0.1.10"), 8080, "ns1", WEB));
        assertThrows(IllegalArgumentException.class, () -> ConnectionContext.mutualTls("cluster.local/sa/x",
                ip("10.0.0.1"), ip("10.0.1.10"), 8080, "ns1", WEB));
        assertThrows(IllegalArgumentException.class, () -> ConnectionContext.plaintext(ip("10.0.0.1"),
                ip("10.0.1.10"), 0, "ns1", WEB));
        assertEquals(Optional.of("client"), mtls(SLEEP).sourceNamespace());
    }

    @Test
    void policyScopeAndSelectorMustAgree() {
        assertThrows(IllegalArgumentException.class, () -> new Policy("p", "ns1", Policy.Scope.WORKLOAD_SELECTOR,
                Map.of(), Policy.Action.ALLOW, List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new Policy("p", "ns1", Policy.Scope.NAMESPACE,
                Map.of("app", "web"), Policy.Action.ALLOW, List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new Clause(List.of()));
        assertThrows(IllegalArgumentException.class, () -> match().destinationPorts(List.of(0)).build());
    }

    @Test
    void emptyMatchMatchesEverything() {
        assertTrue(Match.ANY.isEmpty());
        assertTrue(Match.ANY.matches(plaintext()));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static Arguments row(String name, List<Policy> policies, ConnectionContext connection, boolean allowed,
            String policy, String reason) {
        return Arguments.of(name, policies, connection, allowed, policy, reason);
    }

    private static Policy allow(String namespace, String name, Rule... rules) {
        return policy(namespace, name, Policy.Action.ALLOW, rules);
    }

    private static Policy deny(String namespace, String name, Rule... rules) {
        return policy(namespace, name, Policy.Action.DENY, rules);
    }

    private static Policy policy(String namespace, String name, Policy.Action action, Rule... rules) {
        Policy.Scope scope = namespace.equals(ROOT) ? Policy.Scope.GLOBAL : Policy.Scope.NAMESPACE;
        return new Policy(name, namespace, scope, Map.of(), action, Arrays.asList(rules), false);
    }

    private static Policy dryRun(Policy policy) {
        return new Policy(policy.name(), policy.namespace(), policy.scope(), policy.selector(), policy.action(),
                policy.rules(), true);
    }

    private static Rule rule(Clause... clauses) {
        return Rule.of(clauses);
    }

    private static Clause clause(Match.Builder... matches) {
        return new Clause(Arrays.stream(matches).map(Match.Builder::build).toList());
    }

    private static Match.Builder match() {
        return Match.builder();
    }

    private static List<StringMatch> p(String... patterns) {
        return Arrays.stream(patterns).map(StringMatch::parse).toList();
    }

    private static List<Cidr> cidrs(String... cidrs) {
        return Arrays.stream(cidrs).map(c -> Cidr.parse(c).value()).toList();
    }

    /** An mTLS connection from 10.0.0.1 to the web workload 10.0.1.10:8080 in ns1. */
    private static ConnectionContext mtls(String principal) {
        return conn(principal, "10.0.0.1", "10.0.1.10", 8080);
    }

    private static ConnectionContext plaintext() {
        return conn(null, "10.0.0.1", "10.0.1.10", 8080);
    }

    private static ConnectionContext conn(String principal, String source, String destination, int port) {
        return principal == null
                ? ConnectionContext.plaintext(ip(source), ip(destination), port, "ns1", WEB)
                : ConnectionContext.mutualTls(principal, ip(source), ip(destination), port, "ns1", WEB);
    }

    /** The same connection towards a workload in another namespace or with other labels. */
    private static ConnectionContext to(ConnectionContext c, String namespace, Map<String, String> labels) {
        return new ConnectionContext(c.sourcePrincipal(), c.sourceNamespace(), c.sourceIp(), c.destinationIp(),
                c.destinationPort(), namespace, labels);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no lookup happens
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
