package dev.ambient.ztunnel.config;

import dev.ambient.ztunnel.net.IpLiteral;
import java.net.InetAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command-line flags ({@code --name value} or {@code --name=value}, booleans bare). Every problem is
 * collected, so an operator sees all mistakes of a command line at once, not one per attempt.
 */
public final class Flags {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    private Flags() {}

    /**
     * Parses {@code args}; {@code valued} are flags that take a value, {@code booleans} flags that do
     * not. Unknown flags and stray words are errors.
     */
    public static Flags parse(String[] args, Set<String> valued, Set<String> booleans) {
        Flags flags = new Flags();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                flags.errors.add("unexpected argument \"" + arg + "\"");
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (booleans.contains(name)) {
                flags.values.put(name, value == null ? "true" : value);
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        flags.errors.add("--" + name + " needs a value");
                        continue;
                    }
                    value = args[++i];
                }
                flags.values.put(name, value);
            } else {
                flags.errors.add("unknown flag --" + name);
            }
        }
        return flags;
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String require(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            errors.add("--" + name + " is required");
            return "";
        }
        return value;
    }

    public boolean bool(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }

    public int port(String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add("--" + name + " must be a port number (0-65535), got \"" + value + "\"");
        return fallback;
    }

    /** An IP address literal (never resolved through DNS), when the flag is given and valid. */
    public Optional<InetAddress> ip(String name) {
        String value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        Optional<InetAddress> address = IpLiteral.parse(value);
        if (address.isEmpty()) {
            errors.add("--" + name + " must be an IP address, got \"" + value + "\"");
        }
        return address;
    }

    /** A duration such as {@code 30s}, {@code 5m}, {@code 250ms} or ISO-8601 {@code PT30S}. */
    public Duration duration(String name, Duration fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            if (value.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            if (value.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            if (value.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(value.substring(0, value.length() - 1)));
            }
            return Duration.parse(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            errors.add("--" + name + " must be a duration like 30s, 5m or 250ms, got \"" + value + "\"");
            return fallback;
        }
    }

    public void error(String message) {
        errors.add(message);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }
}
