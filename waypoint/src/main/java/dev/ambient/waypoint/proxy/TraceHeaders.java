package dev.ambient.waypoint.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Request identity and trace context for every request the waypoint forwards: an
 * {@code x-request-id} (kept when the client sent one) and a W3C {@code traceparent} (kept when
 * valid, so the caller's trace continues; started when absent or malformed).
 */
final class TraceHeaders {

    static final String REQUEST_ID = "x-request-id";
    static final String TRACEPARENT = "traceparent";
    private static final Pattern VALID = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private TraceHeaders() {}

    static void ensure(HttpHeaders headers, SplittableRandom random) {
        String id = headers.get(REQUEST_ID);
        if (id == null || id.isBlank() || id.length() > 128) {
            headers.set(REQUEST_ID, hex(random, 8, 4, 4, 4, 12));
        }
        String parent = headers.get(TRACEPARENT);
        if (parent == null || !VALID.matcher(parent).matches() || parent.startsWith("ff")
                || parent.substring(3, 35).chars().allMatch(c -> c == '0')) {
            headers.set(TRACEPARENT, "00-" + hex(random, 32) + "-" + hex(random, 16) + "-01");
        }
    }

    /** Random lower-case hex of the given group lengths, joined by dashes (UUID-like when several). */
    static String hex(SplittableRandom random, int... groups) {
        StringBuilder out = new StringBuilder();
        for (int g = 0; g < groups.length; g++) {
            if (g > 0) {
                out.append('-');
            }
            for (int i = 0; i < groups[g]; i++) {
                out.append(Character.forDigit(random.nextInt(16), 16));
            }
        }
        return out.toString();
    }
}
