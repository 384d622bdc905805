package dev.ambient.bench.load;

import dev.ambient.bench.BenchException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Opens client connections along a {@link Route}: binds the source address, connects, performs the
 * SOCKS5 handshake when the route has one, and only then installs the application's handlers. A
 * route with a network namespace gets its socket created there: Netty creates the socket on the
 * thread that calls {@code connect}, and a socket stays in the namespace it was created in, so the
 * channel can then be served by the ordinary event loop.
 */
public final class Connector {

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final Duration connectTimeout;

    public Connector(EventLoopGroup group, Class<? extends SocketChannel> channelType, Duration connectTimeout) {
        this.group = Objects.requireNonNull(group, "group");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /**
     * Connects along {@code route}. {@code install} runs on the channel's event loop once application
     * bytes can flow; the future then completes with the channel, or fails with a {@link BenchException}.
     */
    public CompletableFuture<Channel> open(Route route, Consumer<Channel> install) {
        CompletableFuture<Channel> ready = new CompletableFuture<>();
        Consumer<Channel> onReady = ch -> {
            try {
                install.accept(ch);
                ready.complete(ch);
            } catch (RuntimeException e) {
                ch.close();
                ready.completeExceptionally(new BenchException("BUG: cannot set up a client connection: " + e, e));
            }
        };
        Bootstrap bootstrap = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .localAddress(new InetSocketAddress(route.source(), 0))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (route.socksDestination().isPresent()) {
                            Socks5Handshake.install(ch.pipeline(), route.socksDestination().get(), onReady,
                                    ready::completeExceptionally);
                        } else {
                            // Handlers go in now; the channel is handed out once it is connected.
                            install.accept(ch);
                        }
                    }
                });
        ChannelFuture connect;
        try {
            connect = route.namespace().isEmpty() ? bootstrap.connect(route.connect())
                    : route.namespace().get().call(() -> bootstrap.connect(route.connect()));
        } catch (Exception e) {
            ready.completeExceptionally(new BenchException("cannot create a socket for " + route + ": "
                    + e.getMessage() + " (does the namespace still exist?)", e));
            return ready;
        }
        connect.addListener(f -> {
            if (f.isSuccess()) {
                if (route.socksDestination().isEmpty()) {
                    ready.complete(connect.channel());
                }
            } else {
                ready.completeExceptionally(new BenchException("cannot connect " + route + ": "
                        + f.cause().getMessage() + " (is the " + (route.socksDestination().isPresent() ? "proxy" : "server")
                        + " still running?)", f.cause()));
            }
        });
        return ready;
    }
}
