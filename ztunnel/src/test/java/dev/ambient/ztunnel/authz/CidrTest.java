package dev.ambient.ztunnel.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.config.ParseResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8        | 10.255.1.2     | true
            10.0.0.0/8        | 11.0.0.0       | false
            10.1.2.3/8        | 10.9.9.9       | true
            10.0.0.1          | 10.0.0.1       | true
            10.0.0.1          | 10.0.0.2       | false
            10.0.0.1/32       | 10.0.0.1       | true
            0.0.0.0/0         | 203.0.113.9    | true
            0.0.0.0/0         | ::1            | false
            192.168.0.0/23    | 192.168.1.255  | true
            192.168.0.0/23    | 192.168.2.0    | false
            10.0.0.128/25     | 10.0.0.127     | false
            10.0.0.128/25     | 10.0.0.200     | true
            fd00::/8          | fd12:3456::1   | true
            fd00::/8          | fe80::1        | false
            ::1               | ::1            | true
            ::1               | ::2            | false
            ::/0              | 10.0.0.1       | false
            2001:db8::/33     | 2001:db8:7fff::1 | true
            2001:db8::/33     | 2001:db8:8000::1 | false
            ::ffff:10.0.0.0/104 | 10.1.2.3     | true
            ::ffff:10.0.0.1   | 10.0.0.1       | true
            """)
    void contains(String cidr, String address, boolean expected) throws UnknownHostException {
        assertEquals(expected, parse(cidr).contains(InetAddress.getByName(address)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.1.2.3/8          | 10.0.0.0/8
            10.0.0.1            | 10.0.0.1/32
            ::1                 | 0:0:0:0:0:0:0:1/128
            fd00::1/8           | fd00:0:0:0:0:0:0:0/8
            1:2:3:4:5:6:7:8     | 1:2:3:4:5:6:7:8/128
            1:2:3:4:5:6:7::     | 1:2:3:4:5:6:7:0/128
            ::2:3:4:5:6:7:8     | 0:2:3:4:5:6:7:8/128
            ::ffff:1.2.3.4      | 1.2.3.4/32
            64:ff9b::1.2.3.4    | 64:ff9b:0:0:0:0:102:304/128
            """)
    void canonicalForm(String text, String expected) {
        assertEquals(expected, parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "10.0.0.300/8", "10.0.0.300", "10.0.0/8", "10.0.0.0.0", "010.0.0.1", "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/-1",
        "10.0.0.1/08", "10.0.0.1/a", "::1/129", "localhost", "example.com", "", " 10.0.0.1", "10.0.0.1 ",
        "1:2:3:4:5:6:7:8:9", ":::", "1::2::3", "fe80::1%eth0", "[::1]", "12345::", "g::1", "1:2:3:4:5:6:7:1.2.3.4",
        "::1.2.3", "1.2.3.4::"
    })
    void rejectsAnythingButLiterals(String text) {
        ParseResult<Cidr> result = Cidr.parse(text);
        assertFalse(result.isOk(), text);
        assertTrue(result.errors().getFirst().startsWith("\"" + text + "\" is not an IP or CIDR"),
                result.errors().toString());
    }

    @Test
    void errorNamesTheAllowedPrefixRange() {
        assertEquals(List.of("\"10.0.0.1/33\" is not an IP or CIDR: the prefix length must be 0-32"),
                Cidr.parse("10.0.0.1/33").errors());
        assertEquals(List.of("\"10.0.0.300/8\" is not an IP or CIDR"), Cidr.parse("10.0.0.300/8").errors());
    }

    @Test
    void equalityIgnoresHostBits() {
        assertEquals(parse("10.1.2.3/8"), parse("10.0.0.0/8"));
        assertEquals(parse("10.1.2.3/8").hashCode(), parse("10.0.0.0/8").hashCode());
        assertNotEquals(parse("10.0.0.0/8"), parse("10.0.0.0/9"));
        assertEquals(parse("::ffff:10.0.0.0/104"), parse("10.0.0.0/8"));
    }

    @Test
    void intersectOfNestedPrefixesIsTheNarrowerOne() {
        assertEquals(Optional.of(parse("10.1.0.0/16")), parse("10.0.0.0/8").intersect(parse("10.1.0.0/16")));
        assertEquals(Optional.of(parse("10.1.0.0/16")), parse("10.1.0.0/16").intersect(parse("10.0.0.0/8")));
        assertEquals(Optional.empty(), parse("10.0.0.0/8").intersect(parse("192.168.0.0/16")));
        assertEquals(Optional.empty(), parse("0.0.0.0/0").intersect(parse("::/0")));
    }

    @Test
    void ofAddressAndFamily() throws UnknownHostException {
        Cidr v6 = Cidr.of(InetAddress.getByName("2001:db8::1"), 32);
        assertTrue(v6.isIpv6());
        assertEquals(32, v6.prefixLength());
        assertTrue(v6.contains(InetAddress.getByName("2001:db8:ffff::")));
        assertFalse(Cidr.of(InetAddress.getByName("10.0.0.1")).isIpv6());
        assertThrows(IllegalArgumentException.class, () -> Cidr.of(InetAddress.getByName("10.0.0.1"), 33));
    }

    private static Cidr parse(String text) {
        ParseResult<Cidr> result = Cidr.parse(text);
        assertTrue(result.isOk(), () -> text + ": " + result.errors());
        return result.value();
    }
}
