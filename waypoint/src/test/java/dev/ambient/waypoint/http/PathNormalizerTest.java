package dev.ambient.waypoint.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every spelling of /admin reads as /admin; what cannot be read unambiguously is refused. */
class PathNormalizerTest {

    @ParameterizedTest
    @CsvSource({
        "/admin, /admin",
        "//admin, /admin",
        "/admin/../admin, /admin",
        "/./admin, /admin",
        "/%2Fadmin, /admin",
        "/%2fadmin, /admin",
        "/%61dmin, /admin",
        "/%5Cadmin, /admin",
        "/x/..%2Fadmin, /admin",
        "/x/%2E%2E/admin, /admin",
        "/..\\admin, /admin",
        "/../../admin, /admin",
        "/admin/, /admin/",
        "/admin//, /admin/",
        "/, /",
        "/a/b/../c/./d, /a/c/d",
        "/caf%C3%A9, /café",
    })
    void spellingsMeetOneForm(String target, String expected) {
        assertEquals(expected, PathNormalizer.normalize(target).orElseThrow().path(), target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "", "/a%2", "/a%zz", "/a%00b", "/a%0d%0ab", "/a%C3", "/a%FF", "/a#frag", "*"})
    void ambiguousTargetsAreRefused(String target) {
        assertTrue(PathNormalizer.normalize(target).isEmpty(), target);
    }

    @ParameterizedTest
    @CsvSource({"/a?x=%2F&y=1, x=%2F&y=1", "/a?, ''", "/a, ''"})
    void theQueryIsKeptApartAndUnchanged(String target, String query) {
        assertEquals(query, PathNormalizer.normalize(target).orElseThrow().query());
    }
}
