package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Opens plain TCP connections to workloads (delivery on the destination side, passthrough on the
 * source side), on the event loop of the connection they will be relayed with, so both ends of a
 * relay share one thread.
 */
public final class TcpDialer {

    private final Bootstrap bootstrap;

    public TcpDialer(Transport transport, Duration connectTimeout) {
        this.bootstrap = new Bootstrap()
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // The relay installs its handler once the connection is up.
                    }
                });
    }

    public ChannelFuture connect(EventLoop loop, InetSocketAddress destination) {
        return bootstrap.clone(loop).connect(destination);
    }
}
