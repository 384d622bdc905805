package dev.ambient.waypoint.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The one form of a request path that routing and authorization compare against, so that no
 * spelling of a path slips past a rule written for another: percent-escapes decoded (an escaped
 * {@code /} or {@code \} counts as the separator it names, as Istio's
 * {@code DECODE_AND_MERGE_SLASHES} does), backslashes read as slashes, runs of slashes merged, and
 * {@code .} and {@code ..} segments resolved (never above the root). The query is kept apart and
 * unchanged. A path that cannot be read unambiguously (a broken escape, an escaped NUL, control
 * characters, invalid UTF-8, no leading slash) is refused, and the request with it: it is cheaper to
 * answer 400 than to guess.
 */
public final class PathNormalizer {

    /** A normalized path and the original query, without its {@code ?}. */
    public record Normalized(String path, String query) {
        public String pathAndQuery() {
            return query.isEmpty() ? path : path + "?" + query;
        }
    }

    private PathNormalizer() {}

    /** The normalized form of a request target in origin form ({@code /a/b?q}), or empty when refused. */
    public static Optional<Normalized> normalize(String target) {
        if (target == null || target.isEmpty() || target.charAt(0) != '/') {
            return Optional.empty();
        }
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        int hash = query.indexOf('#');
        if (hash >= 0 || rawPath.indexOf('#') >= 0) {
            return Optional.empty(); // fragments are never sent; one here is an attempt to confuse
        }
        Optional<String> decoded = decode(rawPath);
        if (decoded.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Normalized(resolve(decoded.get().replace('\\', '/')), query));
    }

    /** Percent-decoding into UTF-8; empty on a broken escape, invalid UTF-8 or a control character. */
    static Optional<String> decode(String path) {
        byte[] out = new byte[path.length() * 3];
        int n = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (i + 2 >= path.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(path.charAt(i + 1), 16);
                int lo = Character.digit(path.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                out[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isSurrogate(c)) {
                    return Optional.empty();
                }
                System.arraycopy(bytes, 0, out, n, bytes.length);
                n += bytes.length;
            }
        }
        for (int i = 0; i < n; i++) {
            int b = out[i] & 0xff;
            if (b < 0x20 || b == 0x7f) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(out, 0, n)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Merges slashes and resolves dot segments (RFC 3986 section 5.2.4), keeping a trailing slash. */
    static String resolve(String path) {
        Deque<String> segments = new ArrayDeque<>();
        String[] parts = path.split("/", -1);
        boolean trailing = false;
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i];
            boolean last = i == parts.length - 1;
            if (s.isEmpty() || s.equals(".")) {
                trailing = last && i > 0;
            } else if (s.equals("..")) {
                segments.pollLast();
                trailing = last;
            } else {
                segments.addLast(s);
                trailing = false;
            }
        }
        String joined = "/" + String.join("/", segments);
        return trailing && !segments.isEmpty() ? joined + "/" : joined;
    }
}
