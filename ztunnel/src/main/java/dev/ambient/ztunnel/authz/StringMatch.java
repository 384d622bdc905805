package dev.ambient.ztunnel.authz;

import java.util.Objects;

/**
 * One string pattern of an authorization policy ({@code principals}, {@code namespaces}), with
 * Istio's four forms: exact {@code abc}, prefix {@code abc*}, suffix {@code *abc} and presence
 * {@code *}.
 *
 * <p>Presence means "any non-empty value", so {@code principals: ["*"]} matches every mTLS peer
 * and never a plaintext one. An absent value (a plaintext peer has no principal or namespace)
 * matches no pattern; that is what makes {@code notPrincipals} hold for plaintext peers.
 *
 * @param kind  which comparison to make
 * @param value the literal part without the {@code *}; empty for {@link Kind#PRESENCE}
 */
public record StringMatch(Kind kind, String value) {

    public enum Kind { EXACT, PREFIX, SUFFIX, PRESENCE }

    private static final StringMatch PRESENCE = new StringMatch(Kind.PRESENCE, "");

    public StringMatch {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (kind == Kind.PRESENCE && !value.isEmpty()) {
            throw new IllegalArgumentException("a presence match has no value, got " + value);
        }
    }

    public static StringMatch exact(String value) {
        return new StringMatch(Kind.EXACT, value);
    }

    public static StringMatch prefix(String prefix) {
        return new StringMatch(Kind.PREFIX, prefix);
    }

    public static StringMatch suffix(String suffix) {
        return new StringMatch(Kind.SUFFIX, suffix);
    }

    public static StringMatch presence() {
        return PRESENCE;
    }

    /**
     * Reads Istio's pattern syntax. As in Istio, a leading {@code *} wins over a trailing one
     * ({@code *abc*} is the suffix {@code abc*}) and a {@code *} in the middle is literal.
     */
    public static StringMatch parse(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.equals("*")) {
            return PRESENCE;
        }
        if (pattern.startsWith("*")) {
            return suffix(pattern.substring(1));
        }
        if (pattern.endsWith("*")) {
            return prefix(pattern.substring(0, pattern.length() - 1));
        }
        return exact(pattern);
    }

    /** Whether the candidate matches; a null candidate (value absent) never matches. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return switch (kind) {
            case EXACT -> candidate.equals(value);
            case PREFIX -> candidate.startsWith(value);
            case SUFFIX -> candidate.endsWith(value);
            case PRESENCE -> !candidate.isEmpty();
        };
    }

    /** The pattern in Istio syntax. */
    @Override
    public String toString() {
        return switch (kind) {
            case EXACT -> value;
            case PREFIX -> value + "*";
            case SUFFIX -> "*" + value;
            case PRESENCE -> "*";
        };
    }
}
