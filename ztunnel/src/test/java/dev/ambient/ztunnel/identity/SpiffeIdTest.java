package dev.ambient.ztunnel.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpiffeIdTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "spiffe://cluster.local/ns/default/sa/alice",
        "spiffe://example.org/workload",
        "spiffe://td_1-x.y/A.b-c_d/E/F",
        "spiffe://9/..a/.b/c.",
    })
    void acceptsValidIdsAndPrintsThemUnchanged(String uri) {
        SpiffeId id = SpiffeId.parse(uri);
        assertEquals(uri, id.toString());
        assertEquals(id, SpiffeId.parse(id.toString()));
    }

    @Test
    void accepts2048ByteIdAndRejects2049() {
        String longest = TestCertificates.idOfLength(2048);
        assertEquals(2048, longest.length());
        assertEquals(longest, SpiffeId.parse(longest).toString());

        String tooLong = TestCertificates.idOfLength(2049);
        InvalidSpiffeIdException e = assertThrows(InvalidSpiffeIdException.class, () -> SpiffeId.parse(tooLong));
        assertTrue(e.getMessage().contains("2049 bytes long, the limit is 2048"), e.getMessage());
        assertTrue(e.getMessage().contains("... (2049 chars)"), "long input is truncated: " + e.getMessage());
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @Test
    void splitsTrustDomainAndPath() {
        SpiffeId id = SpiffeId.parse("spiffe://cluster.local/ns/default/sa/alice");
        assertEquals("cluster.local", id.trustDomain());
        assertEquals("/ns/default/sa/alice", id.path());
        assertEquals("cluster.local/ns/default/sa/alice", id.principal());
        assertEquals(Optional.of("default"), id.namespace());
        assertEquals(Optional.of("alice"), id.serviceAccount());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "spiffe://cluster.local/ns/default",
        "spiffe://cluster.local/ns/default/sa/alice/extra",
        "spiffe://cluster.local/ns/default/sb/alice",
        "spiffe://cluster.local/namespace/default/sa/alice",
        "spiffe://cluster.local/workload",
    })
    void namespaceAndServiceAccountOnlyForTheKubernetesShape(String uri) {
        SpiffeId id = SpiffeId.parse(uri);
        assertEquals(Optional.empty(), id.namespace());
        assertEquals(Optional.empty(), id.serviceAccount());
    }

    @Test
    void buildsKubernetesIdentity() {
        SpiffeId id = SpiffeId.of("cluster.local", "default", "alice");
        assertEquals("spiffe://cluster.local/ns/default/sa/alice", id.toString());
        assertEquals(SpiffeId.parse("spiffe://cluster.local/ns/default/sa/alice"), id);
    }

    static Stream<Arguments> invalidParts() {
        return Stream.of(
            Arguments.of("cluster.local", "a/b", "alice", "must not contain '/'"),
            Arguments.of("cluster.local", "", "alice", "namespace is empty"),
            Arguments.of("cluster.local", "default", "..", "service account is '..'"),
            Arguments.of("Cluster.local", "default", "alice", "must be lowercase"),
            Arguments.of("cluster.local:80", "default", "alice", "port"));
    }

    @ParameterizedTest
    @MethodSource("invalidParts")
    void rejectsInvalidParts(String trustDomain, String namespace, String serviceAccount, String problem) {
        InvalidSpiffeIdException e = assertThrows(InvalidSpiffeIdException.class,
                () -> SpiffeId.of(trustDomain, namespace, serviceAccount));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    static Stream<Arguments> malformedIds() {
        return Stream.of(
            Arguments.of("spiffe://cluster.local:8080/ns/a/sa/b", "must not contain a port"),
            Arguments.of("spiffe://user@cluster.local/ns/a/sa/b", "must not contain userinfo"),
            Arguments.of("spiffe://cluster.local/ns/%41/sa/b", "must not contain percent-encoding"),
            Arguments.of("spiffe://cluster%2elocal/ns/a/sa/b", "must not contain percent-encoding"),
            Arguments.of("spiffe://cluster.local/ns//sa/b", "is empty ('//'"),
            Arguments.of("spiffe://cluster.local//ns/a/sa/b", "is empty ('//'"),
            Arguments.of("spiffe://cluster.local/ns/./sa/b", "is '.'"),
            Arguments.of("spiffe://cluster.local/ns/../sa/b", "is '..'"),
            Arguments.of("spiffe://cluster.local/ns/a/sa/b/", "must not end with '/'"),
            Arguments.of("spiffe://cluster.local/ns/a/sa/b?x=1", "must not contain a query"),
            Arguments.of("spiffe://cluster.local?x=1", "must not contain a query"),
            Arguments.of("spiffe://cluster.local/ns/a/sa/b#frag", "must not contain a fragment"),
            Arguments.of("spiffe://Cluster.local/ns/a/sa/b", "must be lowercase (found 'C')"),
            Arguments.of("https://cluster.local/ns/a/sa/b", "the scheme must be 'spiffe', not \"https\""),
            Arguments.of("SPIFFE://cluster.local/ns/a/sa/b", "must be lowercase 'spiffe'"),
            Arguments.of("spiffe:cluster.local/ns/a/sa/b", "must start with 'spiffe://'"),
            Arguments.of("//cluster.local/ns/a/sa/b", "must start with 'spiffe://'"),
            Arguments.of("spiffe:///ns/a/sa/b", "trust domain is empty"),
            Arguments.of("spiffe://cluster.local", "has no path"),
            Arguments.of("spiffe://cluster.local/", "path is empty"),
            Arguments.of("spiffe://cluster.local/ns/a b/sa/c", "contains U+0020"),
            Arguments.of("spiffe://cluster.local/ns/\u00e4/sa/b", "contains U+00E4"),
            Arguments.of("spiffe://clu$ter.local/ns/a/sa/b", "contains '$'"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("malformedIds")
    void rejectsMalformedIdsSayingWhy(String input, String problem) {
        InvalidSpiffeIdException e = assertThrows(InvalidSpiffeIdException.class, () -> SpiffeId.parse(input));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid SPIFFE ID \"" + input + "\""), e.getMessage());
    }

    @Test
    void rejectsEmptyNullAndNul() {
        assertTrue(assertThrows(InvalidSpiffeIdException.class, () -> SpiffeId.parse(""))
                .getMessage().contains("it is empty"));
        assertTrue(assertThrows(InvalidSpiffeIdException.class, () -> SpiffeId.parse(null))
                .getMessage().contains("no ID given"));
        InvalidSpiffeIdException nul = assertThrows(InvalidSpiffeIdException.class,
                () -> SpiffeId.parse("spiffe://cluster.local/ns/a\0/sa/b"));
        assertTrue(nul.getMessage().contains("NUL byte"), nul.getMessage());
        assertTrue(nul.getMessage().contains("ns/a\\x00/sa"), "NUL is escaped in the message: " + nul.getMessage());
    }

    @Test
    void constructorEnforcesTheSameRules() {
        assertThrows(InvalidSpiffeIdException.class, () -> new SpiffeId("cluster.local", "/"));
        assertThrows(InvalidSpiffeIdException.class, () -> new SpiffeId("cluster.local", ""));
        assertThrows(InvalidSpiffeIdException.class, () -> new SpiffeId("cluster.local", "ns/a"));
        assertThrows(InvalidSpiffeIdException.class, () -> new SpiffeId("CLUSTER", "/a"));
        assertEquals("spiffe://td/a", new SpiffeId("td", "/a").toString());
    }

    @Test
    void equalityIsExact() {
        SpiffeId id = SpiffeId.parse("spiffe://cluster.local/ns/a/sa/b");
        assertEquals(id, SpiffeId.parse("spiffe://cluster.local/ns/a/sa/b"));
        assertEquals(id.hashCode(), SpiffeId.parse("spiffe://cluster.local/ns/a/sa/b").hashCode());
        assertNotEquals(id, SpiffeId.parse("spiffe://cluster.local/ns/A/sa/b"));
        assertNotEquals(id, SpiffeId.parse("spiffe://cluster.localx/ns/a/sa/b"));
        assertNotEquals(id, SpiffeId.parse("spiffe://evil.cluster.local/ns/a/sa/b"));
        assertNotEquals(id, SpiffeId.parse("spiffe://cluster.local/ns/a/sa/b.c"));
    }

    @Test
    void validatesTrustDomainNames() {
        assertEquals("cluster.local", SpiffeId.requireTrustDomain("cluster.local"));
        assertThrows(InvalidSpiffeIdException.class, () -> SpiffeId.requireTrustDomain(""));
        assertThrows(InvalidSpiffeIdException.class, () -> SpiffeId.requireTrustDomain("cluster.local/ns"));
    }
}
