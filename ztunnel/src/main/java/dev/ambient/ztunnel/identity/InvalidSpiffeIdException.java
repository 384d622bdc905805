package dev.ambient.ztunnel.identity;

/**
 * A string is not a valid SPIFFE ID. Unchecked because IDs mostly come from config or
 * certificates that callers validate at the boundary; the message quotes the (truncated) input
 * and names the rule it breaks so an operator can fix the source.
 */
public final class InvalidSpiffeIdException extends IllegalArgumentException {

    private static final int MAX_QUOTED = 96;

    InvalidSpiffeIdException(String input, String problem) {
        super("invalid SPIFFE ID " + quote(input) + ": " + problem);
    }

    /** Quotes untrusted input for a log line: truncated, with control characters escaped. */
    static String quote(String input) {
        if (input == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(input.length(), MAX_QUOTED) + 24).append('"');
        int limit = Math.min(input.length(), MAX_QUOTED);
        for (int i = 0; i < limit; i++) {
            char c = input.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
        if (input.length() > MAX_QUOTED) {
            out.append("... (").append(input.length()).append(" chars)");
        }
        return out.toString();
    }
}
