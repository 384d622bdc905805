package dev.ambient.ztunnel.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * A workload identity, {@code spiffe://<trust-domain>/<path>}, parsed strictly so that two IDs
 * are equal only when their bytes are equal: identities are compared for authorization and a
 * lenient parser (case folding, percent-decoding, dot segments) would let one workload pass as
 * another. Rules are those of the SPIFFE-ID standard, without its optional leniencies.
 *
 * @param trustDomain lowercase trust domain name, e.g. {@code cluster.local}
 * @param path        the path including its leading {@code /}, e.g. {@code /ns/default/sa/web}
 */
public record SpiffeId(String trustDomain, String path) {

    /** Longest ID accepted, in bytes of the whole URI; the standard requires support up to this. */
    public static final int MAX_LENGTH = 2048;

    private static final String PREFIX = "spiffe://";

    public SpiffeId {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(path, "path");
        String uri = PREFIX + trustDomain + path;
        checkLength(uri);
        checkTrustDomain(uri, trustDomain);
        checkPath(uri, path);
    }

    /**
     * Parses a SPIFFE ID.
     *
     * @throws InvalidSpiffeIdException naming the rule the input breaks
     */
    public static SpiffeId parse(String input) {
        if (input == null) {
            throw new InvalidSpiffeIdException(null, "no ID given");
        }
        if (input.isEmpty()) {
            throw new InvalidSpiffeIdException(input, "it is empty");
        }
        checkLength(input);
        if (input.indexOf('\0') >= 0) {
            throw new InvalidSpiffeIdException(input, "it contains a NUL byte");
        }
        if (!input.startsWith(PREFIX)) {
            throw new InvalidSpiffeIdException(input, schemeProblem(input));
        }
        String rest = input.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String trustDomain = slash < 0 ? rest : rest.substring(0, slash);
        checkTrustDomain(input, trustDomain);
        if (slash < 0) {
            throw new InvalidSpiffeIdException(input,
                    "it has no path; the bare trust domain names no workload");
        }
        String path = rest.substring(slash);
        checkPath(input, path);
        return new SpiffeId(trustDomain, path);
    }

    /** The Kubernetes-style identity {@code spiffe://<td>/ns/<namespace>/sa/<serviceAccount>}. */
    public static SpiffeId of(String trustDomain, String namespace, String serviceAccount) {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        String uri = PREFIX + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
        // Checked one by one so that a '/' inside a name cannot forge extra path segments.
        checkSegment(uri, namespace, "namespace");
        checkSegment(uri, serviceAccount, "service account");
        return new SpiffeId(trustDomain, "/ns/" + namespace + "/sa/" + serviceAccount);
    }

    /**
     * Returns {@code trustDomain} if it is a valid SPIFFE trust domain name.
     *
     * @throws InvalidSpiffeIdException if it is not
     */
    public static String requireTrustDomain(String trustDomain) {
        Objects.requireNonNull(trustDomain, "trustDomain");
        checkTrustDomain(PREFIX + trustDomain, trustDomain);
        return trustDomain;
    }

    /** The namespace, present only for IDs of the exact form {@code /ns/<namespace>/sa/<sa>}. */
    public Optional<String> namespace() {
        String[] segments = kubernetesSegments();
        return segments == null ? Optional.empty() : Optional.of(segments[1]);
    }

    /** The service account, present only for IDs of the exact form {@code /ns/<ns>/sa/<sa>}. */
    public Optional<String> serviceAccount() {
        String[] segments = kubernetesSegments();
        return segments == null ? Optional.empty() : Optional.of(segments[3]);
    }

    /** Istio's principal form, the ID without its scheme: {@code cluster.local/ns/a/sa/b}. */
    public String principal() {
        return trustDomain + path;
    }

    /** The full URI, {@code spiffe://<trust-domain><path>}. */
    @Override
    public String toString() {
        return PREFIX + trustDomain + path;
    }

    private String[] kubernetesSegments() {
        String[] segments = path.substring(1).split("/", -1);
        boolean kubernetes = segments.length == 4 && segments[0].equals("ns") && segments[2].equals("sa");
        return kubernetes ? segments : null;
    }

    private static String schemeProblem(String input) {
        int colon = input.indexOf(':');
        String scheme = colon > 0 ? input.substring(0, colon) : "";
        if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return "it must start with 'spiffe://'";
        }
        if (scheme.equals("spiffe")) {
            return "it must start with 'spiffe://' (scheme followed by '//' and a trust domain)";
        }
        if (scheme.equalsIgnoreCase("spiffe")) {
            return "the scheme must be lowercase 'spiffe', not " + InvalidSpiffeIdException.quote(scheme);
        }
        return "the scheme must be 'spiffe', not " + InvalidSpiffeIdException.quote(scheme);
    }

    private static void checkLength(String uri) {
        // Valid IDs are ASCII, so chars are bytes; longer non-ASCII input fails the character rules.
        if (uri.length() > MAX_LENGTH) {
            throw new InvalidSpiffeIdException(uri,
                    "it is " + uri.length() + " bytes long, the limit is " + MAX_LENGTH);
        }
    }

    private static void checkTrustDomain(String uri, String trustDomain) {
        if (trustDomain.isEmpty()) {
            throw new InvalidSpiffeIdException(uri, "the trust domain is empty");
        }
        for (int i = 0; i < trustDomain.length(); i++) {
            char c = trustDomain.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_') {
                continue;
            }
            String problem = switch (c) {
                case ':' -> "the trust domain must not contain a port (':')";
                case '@' -> "the trust domain must not contain userinfo ('@')";
                case '%' -> "the trust domain must not contain percent-encoding ('%')";
                case '?' -> "an ID must not contain a query ('?')";
                case '#' -> "an ID must not contain a fragment ('#')";
                default -> c >= 'A' && c <= 'Z'
                        ? "the trust domain must be lowercase (found " + describe(c) + ")"
                        : "the trust domain contains " + describe(c) + "; only a-z 0-9 . - _ are allowed";
            };
            throw new InvalidSpiffeIdException(uri, problem);
        }
    }

    private static void checkPath(String uri, String path) {
        if (path.isEmpty()) {
            throw new InvalidSpiffeIdException(uri, "it has no path; the bare trust domain names no workload");
        }
        if (path.charAt(0) != '/') {
            throw new InvalidSpiffeIdException(uri, "the path must start with '/'");
        }
        if (path.length() == 1) {
            throw new InvalidSpiffeIdException(uri,
                    "the path is empty; the trust domain root names no workload");
        }
        if (path.endsWith("/")) {
            throw new InvalidSpiffeIdException(uri, "the path must not end with '/'");
        }
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            checkSegment(uri, path.substring(start, end), "path segment");
            start = end + 1;
        }
    }

    private static void checkSegment(String uri, String segment, String what) {
        if (segment.isEmpty()) {
            throw new InvalidSpiffeIdException(uri, "a " + what + " is empty ('//' or a missing name)");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new InvalidSpiffeIdException(uri, "a " + what + " is '" + segment + "', which is not allowed");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '-' || c == '_') {
                continue;
            }
            String problem = switch (c) {
                case '?' -> "an ID must not contain a query ('?')";
                case '#' -> "an ID must not contain a fragment ('#')";
                case '%' -> "a " + what + " must not contain percent-encoding ('%')";
                case '/' -> "a " + what + " must not contain '/'";
                default -> "a " + what + " contains " + describe(c) + "; only A-Z a-z 0-9 . - _ are allowed";
            };
            throw new InvalidSpiffeIdException(uri, problem);
        }
    }

    private static String describe(char c) {
        return c > 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
