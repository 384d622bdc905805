package dev.ambient.ztunnel.net;

import dev.ambient.ztunnel.transport.Transport;
import io.netty.bootstrap.AbstractBootstrap;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.uring.IoUringChannelOption;

/** Linux socket options Java has no standard name for, set through the native transports. */
public final class SocketOptions {

    /** SO_MARK on a native channel's socket (before it connects). */
    public static void mark(io.netty.channel.Channel channel, int mark) {
        if (!(channel instanceof io.netty.channel.unix.UnixChannel unix)) {
            throw new IllegalStateException("socket marks need the epoll or io_uring transport, not "
                    + channel.getClass().getSimpleName());
        }
        dev.ambient.sys.SocketFds.setMark(unix.fd().intValue(), mark);
    }

    /** Where an iptables-redirected connection was going (SO_ORIGINAL_DST). */
    public static java.net.InetSocketAddress originalDestination(io.netty.channel.Channel channel) {
        if (!(channel instanceof io.netty.channel.unix.UnixChannel unix)) {
            throw new IllegalStateException("SO_ORIGINAL_DST needs the epoll or io_uring transport");
        }
        return dev.ambient.sys.SocketFds.originalDestination(unix.fd().intValue());
    }

    private SocketOptions() {}

    /**
     * IP_TRANSPARENT, so a listener accepts connections whose destination is not a local address and
     * a socket may bind a foreign source. Capture (eBPF sk_assign or TPROXY) depends on it.
     */
    public static void transparent(AbstractBootstrap<?, ?> bootstrap, Transport transport) {
        switch (transport.name()) {
            case "epoll" -> bootstrap.option(EpollChannelOption.IP_TRANSPARENT, true);
            case "io_uring" -> bootstrap.option(IoUringChannelOption.IP_TRANSPARENT, true);
            default -> throw new IllegalStateException("transparent listeners need the epoll or io_uring transport, "
                    + "but " + transport.name() + " is in use");
        }
    }
}
