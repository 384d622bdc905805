package dev.ambient.ztunnel.net;

import dev.ambient.ztunnel.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A listening socket with an explicit lifecycle: {@link #start()} binds, {@link #stopAccepting()}
 * closes the listening socket while accepted connections continue, {@link #close()} closes those too.
 * Accepted sockets start with auto-read off and half-closure allowed, as every relay needs.
 */
public final class TcpListener implements AutoCloseable {

    private final String name;
    private final InetSocketAddress address;
    private final Transport transport;
    private final EventLoopGroup group;
    private final ChannelHandler childHandler;
    private final boolean transparent;
    private final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel server;

    /**
     * @param name what the listener is for, used in errors ("HBONE", "outbound"...)
     * @param transparent whether the listener must accept connections for addresses that are not local
     *     (capture delivers them with their original destination); needs the native transport
     */
    public TcpListener(String name, InetSocketAddress address, Transport transport, EventLoopGroup group,
            ChannelHandler childHandler, boolean transparent) {
        this.name = Objects.requireNonNull(name, "name");
        this.address = Objects.requireNonNull(address, "address");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.group = Objects.requireNonNull(group, "group");
        this.childHandler = Objects.requireNonNull(childHandler, "childHandler");
        this.transparent = transparent;
    }

    /** Binds now; a port in use fails with a message naming the listener and the address. */
    public synchronized TcpListener start() {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .handler(new Track())
                .childHandler(childHandler);
        if (transparent) {
            SocketOptions.transparent(bootstrap, transport);
        }
        try {
            server = bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            String hint = e instanceof BindException || String.valueOf(e.getMessage()).contains("in use")
                    ? " (is another ztunnel or proxy already listening there?)" : "";
            throw new IllegalStateException("cannot listen for " + name + " on " + address + ": " + e.getMessage()
                    + hint, e);
        }
        return this;
    }

    /** The bound address; with port 0 in the config this is the port the kernel chose. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Stops accepting; connections already accepted continue. */
    public synchronized void stopAccepting() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
    }

    /** Connections accepted and still open. */
    public int openConnections() {
        return accepted.size();
    }

    /** Waits until accepted connections have closed or {@code deadline} passes; true when all closed. */
    public boolean awaitIdle(Instant deadline) throws InterruptedException {
        while (!accepted.isEmpty()) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.min(left, 20));
        }
        return true;
    }

    /** Every accepted connection that is still open, for drain. */
    public ChannelGroup accepted() {
        return accepted;
    }

    @Override
    public synchronized void close() {
        stopAccepting();
        accepted.close().awaitUninterruptibly();
    }

    /** Remembers every accepted connection so drain and close can reach it. */
    private final class Track extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            accepted.add((Channel) msg);
            ctx.fireChannelRead(msg);
        }
    }
}
