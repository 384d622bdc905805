package dev.ambient.waypoint.http;

import java.util.Locale;
import java.util.Optional;

/**
 * The host a request names ({@code Host} or {@code :authority}) in the one form rules compare
 * against: lower case, without the port and without a trailing dot. DNS names are case-insensitive,
 * so {@code Example.COM:80} and {@code example.com} must meet the same route and the same policy.
 */
public final class HostName {

    private HostName() {}

    /** The normalized host, or empty when the value is not a plausible host[:port]. */
    public static Optional<String> normalize(String authority) {
        if (authority == null) {
            return Optional.empty();
        }
        String a = authority.strip();
        if (a.isEmpty() || a.contains("@") || a.contains("/") || a.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
            return Optional.empty();
        }
        String host;
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            host = a.substring(0, end + 1);
            String rest = a.substring(end + 1);
            if (!rest.isEmpty() && !rest.matches(":[0-9]{1,5}")) {
                return Optional.empty();
            }
        } else {
            int colon = a.lastIndexOf(':');
            host = colon < 0 ? a : a.substring(0, colon);
            if (colon >= 0 && !a.substring(colon + 1).matches("[0-9]{1,5}")) {
                return Optional.empty();
            }
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.isEmpty() ? Optional.empty() : Optional.of(host);
    }
}
