package dev.ambient.ztunnel.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects the errors and warnings found while parsing one resource, each prefixed with the
 * resource's name and the field path, so a parser can keep going after the first problem and the
 * operator sees every problem in one log line per field.
 *
 * <p>Not thread-safe: one instance per parse.
 */
public final class Diagnostics {
    private final String subject;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private Diagnostics(String subject) {
        this.subject = Objects.requireNonNull(subject, "subject");
    }

    /**
     * Starts collecting for one resource.
     *
     * @param subject how messages name the resource, e.g. {@code AuthorizationPolicy ns1/deny-all}
     */
    public static Diagnostics forSubject(String subject) {
        return new Diagnostics(subject);
    }

    public String subject() {
        return subject;
    }

    /** Records a problem that rejects the resource. An empty path means the resource as a whole. */
    public void error(String path, String message) {
        errors.add(format(path, message));
    }

    /** Records a problem the operator should see that does not reject the resource. */
    public void warn(String path, String message) {
        warnings.add(format(path, message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The value if no error was recorded, otherwise the errors; warnings are kept either way. */
    public <T> ParseResult<T> result(T value) {
        return hasErrors() ? ParseResult.errors(errors, warnings) : ParseResult.ok(value, warnings);
    }

    /** The errors if any were recorded, otherwise a skip carrying the warnings. */
    public <T> ParseResult<T> skipped() {
        return hasErrors() ? ParseResult.errors(errors, warnings) : ParseResult.skipped(warnings);
    }

    /**
     * Quotes a value taken from the resource for a message. Control characters are escaped so a
     * hostile value cannot forge extra log lines.
     */
    public static String quote(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private String format(String path, String message) {
        return path == null || path.isEmpty()
                ? subject + ": " + message
                : subject + ": " + path + ": " + message;
    }
}
