package dev.ambient.ztunnel.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Strict parser for IPv4 and IPv6 address literals into network-order bytes.
 *
 * <p>Why not {@link java.net.InetAddress#getByName}: given anything that is not a literal it
 * resolves the name through DNS, which on a policy path means a blocking lookup and a policy whose
 * meaning depends on a resolver. This parser accepts literals only: dotted-quad IPv4 without
 * leading zeros, and RFC 4291 IPv6 text (with {@code ::} and a trailing dotted quad) without zone
 * ids or brackets.
 */
public final class IpLiteral {
    private IpLiteral() {
    }

    /** The address {@code text} spells, or empty when it is not an IP literal; never resolves names. */
    public static Optional<InetAddress> parse(String text) {
        return parseBytes(text).map(bytes -> {
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("BUG: " + bytes.length + "-byte address rejected", e);
            }
        });
    }

    /** 4 bytes for IPv4, 16 for IPv6, or empty when the text is not an address literal. */
    public static Optional<byte[]> parseBytes(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    }

    private static Optional<byte[]> parseV4(String text) {
        byte[] out = new byte[4];
        return fillV4(text, out, 0) ? Optional.of(out) : Optional.empty();
    }

    private static boolean fillV4(String text, byte[] out, int offset) {
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part > 3) {
                    return false;
                }
                out[offset + part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                // A leading zero is ambiguous (some stacks read it as octal), so reject it.
                if (digits == 1 && value == 0) {
                    return false;
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return part == 4;
    }

    private static Optional<byte[]> parseV6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return Optional.empty();
        }
        byte[] out = new byte[16];
        if (gap < 0) {
            return fillGroups(text, out, 0, 16) == 16 ? Optional.of(out) : Optional.empty();
        }
        String head = text.substring(0, gap);
        String tail = text.substring(gap + 2);
        if (head.indexOf('.') >= 0) {
            return Optional.empty(); // an embedded IPv4 address may only end the literal
        }
        byte[] tailBytes = new byte[16];
        int headLength = head.isEmpty() ? 0 : fillGroups(head, out, 0, 14);
        int tailLength = tail.isEmpty() ? 0 : fillGroups(tail, tailBytes, 0, 14);
        // "::" stands for at least one group of zeros.
        if (headLength < 0 || tailLength < 0 || headLength + tailLength > 14) {
            return Optional.empty();
        }
        System.arraycopy(tailBytes, 0, out, 16 - tailLength, tailLength);
        return Optional.of(out);
    }

    /**
     * Parses colon-separated hex groups (the last may be a dotted quad) into out, at most max
     * bytes. Returns the number of bytes written, or -1 when malformed.
     */
    private static int fillGroups(String text, byte[] out, int offset, int max) {
        int written = 0;
        int start = 0;
        while (true) {
            int colon = text.indexOf(':', start);
            String group = colon < 0 ? text.substring(start) : text.substring(start, colon);
            if (colon < 0 && group.indexOf('.') >= 0) {
                if (written + 4 > max || !fillV4(group, out, offset + written)) {
                    return -1;
                }
                return written + 4;
            }
            if (group.isEmpty() || group.length() > 4 || written + 2 > max) {
                return -1;
            }
            int value = 0;
            for (int i = 0; i < group.length(); i++) {
                int digit = Character.digit(group.charAt(i), 16);
                if (digit < 0) {
                    return -1;
                }
                value = (value << 4) | digit;
            }
            out[offset + written++] = (byte) (value >>> 8);
            out[offset + written++] = (byte) value;
            if (colon < 0) {
                return written;
            }
            start = colon + 1;
        }
    }
}
