package dev.ambient.waypoint.route;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code matches[]} entry of an HTTPRoute rule: a path (exact or prefix, on the normalized
 * path), exact header values (names case-insensitive) and a method; all given parts must hold.
 *
 * @param path the path condition, empty for any path
 * @param headers header name (lower case) to the exact value required
 * @param method the method required, empty for any
 */
public record RouteMatch(Optional<PathMatch> path, Map<String, String> headers, Optional<String> method) {

    /** {@code type: Exact} or {@code PathPrefix} (segment-wise: /api matches /api and /api/x, not /apix). */
    public record PathMatch(boolean exact, String value) {
        public PathMatch {
            Objects.requireNonNull(value, "value");
        }

        boolean matches(String path) {
            if (exact) {
                return path.equals(value);
            }
            String prefix = value.endsWith("/") && value.length() > 1 ? value.substring(0, value.length() - 1) : value;
            return prefix.equals("/") || path.equals(prefix) || path.startsWith(prefix + "/");
        }
    }

    public static final RouteMatch ANY = new RouteMatch(Optional.empty(), Map.of(), Optional.empty());

    public RouteMatch {
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(method, "method");
    }

    /** {@code header} looks a lower-case name up in the request. */
    boolean matches(String requestMethod, String requestPath, java.util.function.Function<String, String> header) {
        if (method.isPresent() && !method.get().equals(requestMethod)) {
            return false;
        }
        if (path.isPresent() && !path.get().matches(requestPath)) {
            return false;
        }
        return headers.entrySet().stream().allMatch(h -> h.getValue().equals(header.apply(h.getKey())));
    }

    /**
     * Gateway API precedence between matches that all hold: an exact path first, then the longest
     * prefix (a match without a path is the prefix {@code /}, as the spec defaults it), then a
     * method, then the most headers. Higher sorts first.
     */
    int[] precedence() {
        return new int[] {path.map(p -> p.exact() ? 1 : 0).orElse(0), path.map(p -> p.value().length()).orElse(1),
            method.isPresent() ? 1 : 0, headers.size()};
    }
}
