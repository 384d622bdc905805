package dev.ambient.ztunnel.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StringMatchTest {

    @ParameterizedTest(name = "{0} vs \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            foo   | foo      | true
            foo   | not      | false
            foo   | ''       | false
            foo   | foobar   | false
            foo*  | foobar   | true
            foo*  | foo      | true
            foo*  | notfoo   | false
            foo*  | ''       | false
            *foo  | barfoo   | true
            *foo  | foonot   | false
            *foo  | ''       | false
            *     | foo      | true
            *     | ''       | false
            *     | NULL     | false
            foo   | NULL     | false
            foo*  | NULL     | false
            *foo  | NULL     | false
            a*b   | a*b      | true
            a*b   | axb      | false
            *ab*  | xab*     | true
            *ab*  | xab      | false
            cluster.local/ns/a/sa/* | cluster.local/ns/a/sa/b | true
            */ns/a/sa/b             | td/ns/a/sa/b            | true
            */ns/a/sa/b             | td/ns/a/sa/bb           | false
            """)
    void matchesLikeIstio(String pattern, String candidate, boolean expected) {
        assertEquals(expected, StringMatch.parse(pattern).matches(candidate));
    }

    @Test
    void parseChoosesTheKind() {
        assertEquals(StringMatch.exact("abc"), StringMatch.parse("abc"));
        assertEquals(StringMatch.prefix("abc"), StringMatch.parse("abc*"));
        assertEquals(StringMatch.suffix("abc"), StringMatch.parse("*abc"));
        assertEquals(StringMatch.presence(), StringMatch.parse("*"));
        // A leading '*' wins, as in Istio.
        assertEquals(StringMatch.suffix("abc*"), StringMatch.parse("*abc*"));
    }

    @Test
    void toStringIsIstioSyntax() {
        for (String pattern : new String[] {"abc", "abc*", "*abc", "*"}) {
            assertEquals(pattern, StringMatch.parse(pattern).toString());
        }
    }

    @Test
    void presenceCarriesNoValue() {
        assertThrows(IllegalArgumentException.class, () -> new StringMatch(StringMatch.Kind.PRESENCE, "x"));
        assertFalse(StringMatch.presence().matches(""));
    }
}
