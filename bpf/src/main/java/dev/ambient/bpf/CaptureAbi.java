package dev.ambient.bpf;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Java mirror of {@code capture.h}: constants and the byte layout of map keys and values. A test
 * compares every constant with the header, so the two cannot drift apart.
 */
public final class CaptureAbi {

    public static final int POD_DRAINING = 0x1;
    public static final int CFG_FAIL_OPEN = 0x1;

    public static final int CNT_OUTBOUND_NEW = 0;
    public static final int CNT_INBOUND_NEW = 1;
    public static final int CNT_HBONE_NEW = 2;
    public static final int CNT_ESTABLISHED = 3;
    public static final int CNT_BYPASS = 4;
    public static final int CNT_NO_LISTENER = 5;
    public static final int CNT_DRAINING = 6;
    public static final int CNT_PROXY_OWN = 7;
    public static final int CNT_ASSIGN_FAILED = 8;
    public static final int CNT_SLOTS = 9;

    public static final String MAP_PODS = "enrolled_pods";
    public static final String MAP_CONFIG = "capture_config";
    public static final String MAP_COUNTERS = "capture_counters";

    public static final int POD_KEY_SIZE = 4;
    public static final int POD_VALUE_SIZE = 8;
    public static final int CONFIG_SIZE = 32;

    private CaptureAbi() {}

    /** struct pod_key: the IPv4 address in network order. */
    public static byte[] podKey(Inet4Address address) {
        return address.getAddress();
    }

    /** struct pod_value: ifindex and flags, in host (little-endian) order. */
    public static byte[] podValue(int ifindex, int flags) {
        return ByteBuffer.allocate(POD_VALUE_SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(ifindex).putInt(flags).array();
    }

    public static int podFlags(byte[] value) {
        return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
    }

    /** struct capture_config; ports in host order, addresses in network order. */
    public static byte[] config(CaptureConfig c) {
        ByteBuffer b = ByteBuffer.allocate(CONFIG_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(c.listenAddress().getAddress());
        b.putShort((short) c.outboundPort()).putShort((short) c.inboundPort()).putShort((short) c.hbonePort())
                .putShort((short) 0);
        b.putInt(c.captureMark()).putInt(c.proxyMark()).putInt(c.failOpen() ? CFG_FAIL_OPEN : 0);
        b.putLong(0); // proxy_cgroup at offset 24
        if (b.position() != CONFIG_SIZE) {
            throw new IllegalStateException("BUG: config encoded as " + b.position() + " bytes, struct has " + CONFIG_SIZE);
        }
        return b.array();
    }

    /** Sums one slot of a per-CPU counter value over {@code cpus}. */
    public static long sumPerCpu(byte[] perCpu, int cpus) {
        ByteBuffer b = ByteBuffer.wrap(perCpu).order(ByteOrder.LITTLE_ENDIAN);
        long sum = 0;
        for (int i = 0; i < cpus; i++) {
            sum += b.getLong(i * 8);
        }
        return sum;
    }

    /** The key of an ARRAY map entry (the config, a counter slot). */
    public static byte[] index(int slot) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(slot).array();
    }
}
