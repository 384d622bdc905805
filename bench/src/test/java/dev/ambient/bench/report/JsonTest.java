package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesNestedValuesInOrder() {
        String json = Json.write(Json.object("b", 1, "a", List.of(1.5, "x", true), "n", null, "e", List.of(),
                "o", Json.object()));
        assertEquals("""
                {
                  "b": 1,
                  "a": [
                    1.5,
                    "x",
                    true
                  ],
                  "n": null,
                  "e": [],
                  "o": {}
                }
                """, json);
    }

    @Test
    void escapesStringsAndDropsNonFiniteNumbers() {
        assertEquals("\"say \\\"hi\\\"\\n\\\\ \\u0001 µs\"\n", Json.write("say \"hi\"\n\\ \u0001 µs"));
        assertEquals("null\n", Json.write(Double.NaN));
        assertEquals("null\n", Json.write(Double.POSITIVE_INFINITY));
        assertEquals("3\n", Json.write(3.0));
        assertEquals("0.123\n", Json.write(0.12345));
        assertEquals("42\n", Json.write(42L));
    }
}
