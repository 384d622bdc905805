package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import dev.ambient.ztunnel.net.SocketOptions;
import dev.ambient.ztunnel.relay.EarlyInput;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.time.Duration;

/**
 * Opens plain TCP connections to workloads (delivery on the destination side, passthrough on the
 * source side), on the event loop of the connection they will be relayed with, so both ends of a
 * relay share one thread.
 */
public final class TcpDialer {

    private final Bootstrap bootstrap;
    private final boolean preserveSource;
    private final Optional<InetAddress> fixedSource;

    /**
     * @param preserveSource dial from the original client's address (IP_TRANSPARENT), so the workload
     *     sees who called it; capture steers the replies back to this proxy
     */
    public TcpDialer(Transport transport, Duration connectTimeout, boolean preserveSource) {
        this(transport, connectTimeout, preserveSource, 0, Optional.empty());
    }

    /**
     * @param mark SO_MARK for every dialled socket (0: none), so capture rules let the proxy's own
     *     connections pass
     * @param fixedSource dial from this address when no client address is preserved
     */
    public TcpDialer(Transport transport, Duration connectTimeout, boolean preserveSource, int mark,
            Optional<InetAddress> fixedSource) {
        this.preserveSource = preserveSource;
        this.fixedSource = fixedSource;
        this.bootstrap = new Bootstrap()
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (mark != 0) {
                            SocketOptions.mark(ch, mark);
                        }
                        // A server-first workload (a greeting) may write before the relay is up.
                        EarlyInput.install(ch);
                    }
                });
        if (preserveSource) {
            SocketOptions.transparent(bootstrap, transport);
        }
    }

    public ChannelFuture connect(EventLoop loop, InetSocketAddress destination) {
        return bootstrap.clone(loop).connect(destination);
    }

    /** Dials {@code destination}, from {@code source} when sources are preserved and one is given. */
    public ChannelFuture connect(EventLoop loop, InetSocketAddress destination, Optional<InetAddress> source) {
        if (preserveSource && source.isPresent()) {
            return bootstrap.clone(loop).connect(destination, new InetSocketAddress(source.get(), 0));
        }
        if (fixedSource.isPresent()) {
            return bootstrap.clone(loop).connect(destination, new InetSocketAddress(fixedSource.get(), 0));
        }
        return connect(loop, destination);
    }
}
