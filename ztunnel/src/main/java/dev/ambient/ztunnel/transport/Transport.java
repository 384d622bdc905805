package dev.ambient.ztunnel.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * The socket transport chosen once at startup: io_uring where the kernel allows it, then epoll,
 * then NIO. Native transports matter here because capture needs the socket's file descriptor
 * (IP_TRANSPARENT, SO_MARK) and because they copy fewer bytes.
 */
public record Transport(
        String name,
        Supplier<IoHandlerFactory> ioHandlers,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends SocketChannel> socketChannel) {

    /** Property that forces a transport: {@code io_uring}, {@code epoll} or {@code nio}. */
    public static final String PROPERTY = "ambient.transport";

    private static final Transport IO_URING = new Transport("io_uring", IoUringIoHandler::newFactory,
            IoUringServerSocketChannel.class, IoUringSocketChannel.class);
    private static final Transport EPOLL = new Transport("epoll", EpollIoHandler::newFactory,
            EpollServerSocketChannel.class, EpollSocketChannel.class);
    private static final Transport NIO = new Transport("nio", NioIoHandler::newFactory,
            NioServerSocketChannel.class, NioSocketChannel.class);

    /** The best transport this machine supports, unless {@link #PROPERTY} names one. */
    public static Transport best() {
        String forced = System.getProperty(PROPERTY, "").toLowerCase(Locale.ROOT);
        return switch (forced) {
            case "io_uring" -> require(IO_URING, IoUring.isAvailable(), IoUring.unavailabilityCause());
            case "epoll" -> require(EPOLL, Epoll.isAvailable(), Epoll.unavailabilityCause());
            case "nio" -> NIO;
            case "" -> IoUring.isAvailable() ? IO_URING : Epoll.isAvailable() ? EPOLL : NIO;
            default -> throw new IllegalArgumentException(
                    PROPERTY + "=" + forced + " is not a transport; use io_uring, epoll or nio");
        };
    }

    private static Transport require(Transport transport, boolean available, Throwable cause) {
        if (!available) {
            throw new IllegalStateException(transport.name + " transport requested with -D" + PROPERTY
                    + " but it is not available on this machine: " + cause, cause);
        }
        return transport;
    }

    /** A new event loop group of this transport; the caller owns its lifecycle. */
    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlers.get());
    }
}
