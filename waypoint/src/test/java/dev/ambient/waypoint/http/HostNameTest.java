package dev.ambient.waypoint.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A host in any case, with or without port or trailing dot, is one host. */
class HostNameTest {

    @ParameterizedTest
    @CsvSource({
        "Shop.Example.COM, shop.example.com",
        "shop.example.com:8080, shop.example.com",
        "shop.example.com., shop.example.com",
        "10.96.0.1:80, 10.96.0.1",
        "[FD00::1]:80, [fd00::1]",
        "[fd00::1], [fd00::1]",
    })
    void oneForm(String authority, String expected) {
        assertEquals(expected, HostName.normalize(authority).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "user@host", "host/path", "host:port", "host:123456", "[fd00::1", "a b", "host\u0000"})
    void implausibleHostsAreRefused(String authority) {
        assertTrue(HostName.normalize(authority).isEmpty(), authority);
    }
}
