package dev.ambient.sys;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** Socket options Java has no name for, on a socket's file descriptor (from a native Netty channel). */
public final class SocketFds {

    private static final int SOL_SOCKET = 1;
    private static final int SO_MARK = 36;
    private static final int SOL_IP = 0;
    private static final int SO_ORIGINAL_DST = 80;

    private SocketFds() {}

    /**
     * SO_MARK: packets of this socket carry {@code mark}, so capture rules (iptables in a sidecar pod)
     * can let the proxy's own connections pass instead of redirecting them back into it.
     */
    public static void setMark(int fd, int mark) {
        Pointer value = Memory.allocateDirect(Native.runtime(), 4, true);
        value.putInt(0, mark);
        Native.check(Native.libc().setsockopt(fd, SOL_SOCKET, SO_MARK, value, 4), "setsockopt(SO_MARK)");
    }

    /**
     * SO_ORIGINAL_DST: where a connection redirected by iptables (REDIRECT, NAT) was going, since its
     * local address is now the proxy's port.
     */
    public static InetSocketAddress originalDestination(int fd) {
        Pointer address = Memory.allocateDirect(Native.runtime(), 16, true);
        Pointer length = Memory.allocateDirect(Native.runtime(), 4, true);
        length.putInt(0, 16);
        Native.check(Native.libc().getsockopt(fd, SOL_IP, SO_ORIGINAL_DST, address, length),
                "getsockopt(SO_ORIGINAL_DST)");
        int port = ((address.getByte(2) & 0xff) << 8) | (address.getByte(3) & 0xff);
        byte[] ip = new byte[4];
        address.get(4, ip, 0, 4);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("BUG: 4-byte address rejected", e);
        }
    }
}
