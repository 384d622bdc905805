package dev.ambient.ztunnel.authz;

import dev.ambient.ztunnel.net.IpLiteral;

import dev.ambient.ztunnel.config.Diagnostics;
import dev.ambient.ztunnel.config.ParseResult;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network prefix, as used by {@code ipBlocks} and {@code destination.ip} in
 * authorization policies.
 *
 * <p>Host bits are cleared on construction ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}), a bare
 * address is a /32 or /128, and an IPv4-mapped IPv6 prefix ({@code ::ffff:10.0.0.0/104}) becomes
 * the IPv4 prefix it denotes, because the JDK reports IPv4 peers of a dual-stack socket as IPv4
 * addresses. An IPv4 prefix never contains an IPv6 address and vice versa. The bytes are held
 * privately (not a record) so {@link #contains} compares without copying.
 */
public final class Cidr {
    private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private final byte[] network;
    private final int prefixLength;

    private Cidr(byte[] address, int prefixLength) {
        this.prefixLength = prefixLength;
        this.network = mask(address, prefixLength);
    }

    /**
     * Parses {@code a.b.c.d}, {@code a.b.c.d/n}, an IPv6 literal, or an IPv6 literal with
     * {@code /n}. Never touches DNS. Errors quote the input, e.g. {@code "10.0.0.300/8" is not an
     * IP or CIDR}.
     */
    public static ParseResult<Cidr> parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        Optional<byte[]> address = IpLiteral.parseBytes(addressText);
        if (address.isEmpty()) {
            return ParseResult.error(Diagnostics.quote(text) + " is not an IP or CIDR");
        }
        int bits = address.get().length * 8;
        int length = bits;
        if (slash >= 0) {
            String lengthText = text.substring(slash + 1);
            length = parsePrefixLength(lengthText);
            if (length < 0 || length > bits) {
                return ParseResult.error(Diagnostics.quote(text)
                        + " is not an IP or CIDR: the prefix length must be 0-" + bits);
            }
        }
        return ParseResult.ok(create(address.get(), length));
    }

    /** A prefix from an address; throws on a length outside 0-32 (IPv4) or 0-128 (IPv6). */
    public static Cidr of(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        if (prefixLength < 0 || prefixLength > bytes.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range for " + address);
        }
        return create(bytes, prefixLength);
    }

    /** The single-address prefix (/32 or /128). */
    public static Cidr of(InetAddress address) {
        return create(address.getAddress(), address.getAddress().length * 8);
    }

    private static Cidr create(byte[] address, int prefixLength) {
        if (address.length == 16 && prefixLength >= 96
                && Arrays.equals(address, 0, 12, V4_MAPPED_PREFIX, 0, 12)) {
            return new Cidr(Arrays.copyOfRange(address, 12, 16), prefixLength - 96);
        }
        return new Cidr(address, prefixLength);
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Same as {@link #contains(InetAddress)} for network-order bytes (4 or 16) the caller owns. */
    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int remainder = prefixLength % 8;
        if (remainder == 0) {
            return true;
        }
        int mask = (0xff << (8 - remainder)) & 0xff;
        return (address[fullBytes] & mask) == (network[fullBytes] & 0xff);
    }

    /**
     * The addresses in both prefixes. Two prefixes either nest or are disjoint, so the result is
     * the narrower one or empty.
     */
    public Optional<Cidr> intersect(Cidr other) {
        if (network.length != other.network.length) {
            return Optional.empty();
        }
        if (prefixLength <= other.prefixLength) {
            return contains(other.network) ? Optional.of(other) : Optional.empty();
        }
        return other.contains(network) ? Optional.of(this) : Optional.empty();
    }

    public boolean isIpv6() {
        return network.length == 16;
    }

    public int prefixLength() {
        return prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && prefixLength == other.prefixLength && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    /** Canonical text, e.g. {@code 10.0.0.0/8} or {@code fd00:0:0:0:0:0:0:0/8}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (network.length == 4) {
            for (int i = 0; i < 4; i++) {
                out.append(i == 0 ? "" : ".").append(network[i] & 0xff);
            }
        } else {
            for (int i = 0; i < 16; i += 2) {
                out.append(i == 0 ? "" : ":").append(Integer.toHexString(((network[i] & 0xff) << 8) | (network[i + 1] & 0xff)));
            }
        }
        return out.append('/').append(prefixLength).toString();
    }

    private static int parsePrefixLength(String text) {
        if (text.isEmpty() || text.length() > 3 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefixLength - i * 8));
            out[i] = (byte) (out[i] & ((0xff << (8 - bitsHere)) & 0xff));
        }
        return out;
    }
}
