package dev.ambient.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The two routing entries capture needs, set through rtnetlink in the calling thread's network
 * namespace: a policy rule that sends packets carrying the capture mark to a table, and a route in
 * that table that delivers everything locally. No {@code ip} binary, no process per change.
 */
public final class RouteNetlink {

    private static final short RTM_NEWROUTE = 24;
    private static final short RTM_DELROUTE = 25;
    private static final short RTM_NEWRULE = 32;
    private static final short RTM_DELRULE = 33;
    private static final short NLMSG_ERROR = 2;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_ACK = 0x4;
    private static final short NLM_F_REPLACE = 0x100;
    private static final short NLM_F_EXCL = 0x200;
    private static final short NLM_F_CREATE = 0x400;
    private static final byte AF_INET = 2;
    private static final byte FR_ACT_TO_TBL = 1;
    private static final byte RTPROT_STATIC = 4;
    private static final byte RT_SCOPE_HOST = (byte) 254;
    private static final byte RTN_LOCAL = 2;
    private static final short FRA_PRIORITY = 6;
    private static final short FRA_FWMARK = 10;
    private static final short FRA_TABLE = 15;
    private static final short FRA_FWMASK = 16;
    private static final short RTA_DST = 1;
    private static final short RTA_OIF = 4;
    private static final short RTA_GATEWAY = 5;
    private static final short RTM_GETROUTE = 26;
    private static final int ENETUNREACH = 101;
    private static final int EHOSTUNREACH = 113;
    private static final short RTA_TABLE = 15;
    private static final int EEXIST = 17;
    private static final int ENOENT = 2;
    private static final int ESRCH = 3;

    private RouteNetlink() {}

    /** {@code ip rule add pref PRIORITY fwmark MARK/MARK lookup TABLE}; already there is fine. */
    public static void addMarkRule(int priority, int mark, int table) {
        send(RTM_NEWRULE, (short) (NLM_F_CREATE | NLM_F_EXCL), rule(priority, mark, table),
                "add rule pref " + priority + " fwmark 0x" + Integer.toHexString(mark) + " lookup " + table, false);
    }

    /** Removes that rule ({@code mark} 0: whatever its mark); a missing rule is fine. */
    public static void deleteMarkRule(int priority, int mark, int table) {
        send(RTM_DELRULE, (short) 0, rule(priority, mark, table), "delete rule pref " + priority, true);
    }

    /** {@code ip route replace local 0.0.0.0/0 dev lo table TABLE}. */
    public static void replaceLocalDefault(int table, int loopbackIndex) {
        send(RTM_NEWROUTE, (short) (NLM_F_CREATE | NLM_F_REPLACE), localRoute(table, loopbackIndex),
                "replace local default route in table " + table, false);
    }

    /** Removes that route; a missing route is fine. */
    public static void deleteLocalDefault(int table, int loopbackIndex) {
        send(RTM_DELROUTE, (short) 0, localRoute(table, loopbackIndex), "delete local default route in table " + table,
                true);
    }

    private static ByteBuffer rule(int priority, int mark, int table) {
        ByteBuffer b = body();
        b.put(AF_INET).put((byte) 0).put((byte) 0).put((byte) 0) // family, dst_len, src_len, tos
                .put((byte) (table < 256 ? table : 0)).put((byte) 0).put((byte) 0).put(FR_ACT_TO_TBL).putInt(0);
        attribute(b, FRA_PRIORITY, priority);
        if (mark != 0) { // a delete without a mark matches the rule whatever its mark
            attribute(b, FRA_FWMARK, mark);
            attribute(b, FRA_FWMASK, mark);
        }
        attribute(b, FRA_TABLE, table);
        return b;
    }

    private static ByteBuffer localRoute(int table, int loopbackIndex) {
        ByteBuffer b = body();
        b.put(AF_INET).put((byte) 0).put((byte) 0).put((byte) 0) // family, dst_len 0 (default), src_len, tos
                .put((byte) (table < 256 ? table : 0)).put(RTPROT_STATIC).put(RT_SCOPE_HOST).put(RTN_LOCAL).putInt(0);
        attribute(b, RTA_OIF, loopbackIndex);
        attribute(b, RTA_TABLE, table);
        return b;
    }

    private static ByteBuffer body() {
        return ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    }

    private static void attribute(ByteBuffer b, short type, int value) {
        b.putShort((short) 8).putShort(type).putInt(value);
    }

    /** A route lookup's answer: the output device, and whether the route goes through a gateway. */
    public record RouteAnswer(int outputIndex, boolean viaGateway) {}

    /** {@code ip route get ADDRESS} in the calling thread's namespace; empty when nothing routes it. */
    public static java.util.Optional<RouteAnswer> lookup(java.net.Inet4Address address) {
        ByteBuffer b = body();
        b.put(AF_INET).put((byte) 32).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0)
                .put((byte) 0).putInt(0);
        b.putShort((short) 8).putShort(RTA_DST).put(address.getAddress());
        ByteBuffer answer;
        try {
            answer = exchange(RTM_GETROUTE, (short) 0, b, "route get " + address.getHostAddress());
        } catch (NativeException e) {
            if (e.errno() == ENETUNREACH || e.errno() == EHOSTUNREACH) {
                return java.util.Optional.empty();
            }
            throw e;
        }
        if (answer.getShort(4) != RTM_NEWROUTE) {
            return java.util.Optional.empty();
        }
        int length = answer.getInt(0);
        int oif = 0;
        boolean gateway = false;
        for (int at = 16 + 12; at + 4 <= length; ) {
            int attrLength = answer.getShort(at) & 0xffff;
            int attrType = answer.getShort(at + 2) & 0xffff;
            if (attrLength < 4) {
                break;
            }
            if (attrType == RTA_OIF) {
                oif = answer.getInt(at + 4);
            } else if (attrType == RTA_GATEWAY) {
                gateway = true;
            }
            at += (attrLength + 3) & ~3;
        }
        return oif == 0 ? java.util.Optional.empty() : java.util.Optional.of(new RouteAnswer(oif, gateway));
    }

    private static void send(short type, short flags, ByteBuffer body, String what, boolean missingIsFine) {
        try {
            exchange(type, (short) (NLM_F_ACK | flags), body, what);
        } catch (NativeException e) {
            boolean fine = (type == RTM_NEWRULE && e.errno() == EEXIST)
                    || (missingIsFine && (e.errno() == ENOENT || e.errno() == ESRCH));
            if (!fine) {
                throw e;
            }
        }
    }

    /** Sends one request and returns the kernel's first answer; an error answer becomes a NativeException. */
    private static ByteBuffer exchange(short type, short flags, ByteBuffer body, String what) {
        int length = 16 + body.position();
        ByteBuffer message = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        message.putInt(length).putShort(type).putShort((short) (NLM_F_REQUEST | flags)).putInt(1).putInt(0);
        message.put(body.array(), 0, body.position());
        LibC libc = Native.libc();
        int fd = Native.check(libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE),
                "socket(AF_NETLINK)");
        try {
            Pointer out = Memory.allocateDirect(Native.runtime(), length, true);
            out.put(0, message.array(), 0, length);
            Pointer kernel = Memory.allocateDirect(Native.runtime(), 12, true);
            kernel.putShort(0, (short) LibC.AF_NETLINK);
            if (libc.sendto(fd, out, length, 0, kernel, 12) < 0) {
                throw Native.lastError("sendto(netlink: " + what + ")");
            }
            Pointer in = Memory.allocateDirect(Native.runtime(), 4096, true);
            long received = libc.recv(fd, in, 4096, 0);
            if (received < 0) {
                throw Native.lastError("recv(netlink: " + what + ")");
            }
            byte[] bytes = new byte[(int) received];
            in.get(0, bytes, 0, bytes.length);
            ByteBuffer answer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
            if (answer.getShort(4) == NLMSG_ERROR) {
                int errno = -answer.getInt(16);
                if (errno != 0) {
                    throw new NativeException("netlink: " + what, errno, libc.strerror(errno)
                            + (errno == 1 ? " (needs CAP_NET_ADMIN in the node's network namespace)" : ""));
                }
            }
            return answer;
        } finally {
            libc.close(fd);
        }
    }
}
