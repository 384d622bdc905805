package dev.ambient.ztunnel.hbone;

import dev.ambient.ztunnel.identity.SpiffeId;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The HBONE client: opens CONNECT streams over pooled mutual-TLS HTTP/2 connections. Connections are
 * shared only by calls with the same source identity, expected peer identity and peer address, carry
 * up to {@link HboneSettings#maxStreamsPerConnection()} streams (or fewer if the peer says so), and
 * close after {@link HboneSettings#idleTimeout()} without streams. A failed stream fails only itself.
 * Like Envoy's per-worker pools, a call is served by a connection on its own event loop, so the bytes
 * of one proxied connection never hop between threads.
 */
public final class HbonePool implements AutoCloseable {

    private static final Logger LOG = System.getLogger(HbonePool.class.getName());

    /** What the pool holds for one key, for the admin endpoint and for tests: streams per connection. */
    public record Stats(String key, List<Integer> streamsPerConnection) {
        public int connections() {
            return streamsPerConnection.size();
        }

        public int streams() {
            return streamsPerConnection.stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final Bootstrap bootstrap;
    private final Function<SpiffeId, CompletableFuture<SslContext>> clientTls;
    private final HboneSettings settings;
    private final boolean fromClientAddress;
    private final int mark;
    private final Map<HboneTarget.PoolKey, List<PooledConnection>> pool = new HashMap<>();
    private boolean closed;

    /**
     * @param bootstrap group and channel type to dial with; its handler is replaced
     * @param clientTls the client TLS context proving a given source identity
     */
    public HbonePool(Bootstrap bootstrap, Function<SpiffeId, CompletableFuture<SslContext>> clientTls,
            HboneSettings settings) {
        this(bootstrap, clientTls, settings, false);
    }

    /**
     * @param fromClientAddress dial each tunnel from its client's address (the source pod's IP), as
     *     the pool key then includes it; needs a transparent-capable bootstrap and capture on this node
     */
    public HbonePool(Bootstrap bootstrap, Function<SpiffeId, CompletableFuture<SslContext>> clientTls,
            HboneSettings settings, boolean fromClientAddress) {
        this(bootstrap, clientTls, settings, fromClientAddress, 0);
    }

    /** @param mark SO_MARK for every tunnel socket (0: none), so a sidecar's capture rules let it pass */
    public HbonePool(Bootstrap bootstrap, Function<SpiffeId, CompletableFuture<SslContext>> clientTls,
            HboneSettings settings, boolean fromClientAddress, int mark) {
        this.fromClientAddress = fromClientAddress;
        this.mark = mark;
        this.bootstrap = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true);
        this.clientTls = Objects.requireNonNull(clientTls, "clientTls");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Opens a tunnel to {@code target}. The future completes on {@code loop} with an active stream the
     * peer answered 200 on (auto-read off), or fails with an {@link HboneException}.
     */
    public Future<Http2StreamChannel> open(HboneTarget target, EventLoop loop) {
        Promise<Http2StreamChannel> result = loop.newPromise();
        PooledConnection conn;
        synchronized (this) {
            if (closed) {
                result.setFailure(new HboneException("HBONE client is shut down", 0));
                return result;
            }
            conn = reserve(target, loop);
        }
        conn.ready.addListener(f -> {
            if (f.isSuccess()) {
                openStream(conn, target, result);
            } else {
                release(conn);
                result.tryFailure(f.cause());
            }
        });
        return result;
    }

    private HboneTarget.PoolKey key(HboneTarget target) {
        return fromClientAddress ? target.poolKeyFrom(target.clientAddress().getAddress()) : target.poolKey();
    }

    private PooledConnection reserve(HboneTarget target, EventLoop loop) {
        List<PooledConnection> conns = pool.computeIfAbsent(key(target), k -> new ArrayList<>());
        for (PooledConnection conn : conns) {
            if (conn.loop == loop && conn.hasCapacity()) {
                conn.reserved++;
                return conn;
            }
        }
        PooledConnection conn = new PooledConnection(key(target), loop, settings.maxStreamsPerConnection());
        conn.reserved++;
        conns.add(conn);
        dial(conn, target);
        return conn;
    }

    private void dial(PooledConnection conn, HboneTarget target) {
        clientTls.apply(target.source()).whenComplete((tls, error) -> {
            if (error != null) {
                conn.ready.tryFailure(new HboneException("no certificate for " + target.source()
                        + " to open HBONE to " + key(target) + ": " + HandshakeOutcome.rootMessage(error), error));
                forget(conn);
                return;
            }
            ChannelFuture connect = bootstrap.clone(conn.loop).handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (mark != 0) {
                        dev.ambient.ztunnel.net.SocketOptions.mark(ch, mark);
                    }
                    SslHandler ssl = tls.newHandler(ch.alloc());
                    ssl.setHandshakeTimeoutMillis(settings.connectTimeout().toMillis());
                    ch.pipeline().addLast("tls", ssl);
                    ch.pipeline().addLast("hbone-handshake",
                            new ClientHandshake(target, settings, conn.ready, new ConnectionEvents(conn)));
                }
            }).connect(target.hboneAddress(), fromClientAddress
                    ? new java.net.InetSocketAddress(target.clientAddress().getAddress(), 0) : null);
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    conn.ready.tryFailure(new HboneException("cannot reach HBONE port of " + key(target) + ": "
                            + HandshakeOutcome.rootMessage(f.cause())
                            + " (is a network policy blocking port " + target.hboneAddress().getPort() + "?)",
                            f.cause()));
                }
            });
            connect.channel().closeFuture().addListener(f -> forget(conn));
        });
    }

    private void openStream(PooledConnection conn, HboneTarget target, Promise<Http2StreamChannel> result) {
        Channel parent = conn.ready.getNow();
        new Http2StreamChannelBootstrap(parent)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ConnectStream(target, result, settings.connectTimeout()))
                .open()
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        release(conn);
                        result.tryFailure(new HboneException("cannot open a stream on " + key(target), f.cause()));
                        return;
                    }
                    Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
                    synchronized (this) {
                        conn.streamsOpened++;
                    }
                    stream.closeFuture().addListener(c -> release(conn));
                });
    }

    private void release(PooledConnection conn) {
        Channel channel;
        synchronized (this) {
            conn.reserved--;
            if (conn.reserved > 0) {
                return;
            }
            conn.idleSinceNanos = System.nanoTime();
            channel = conn.channelOrNull();
        }
        if (channel != null) {
            long idle = settings.idleTimeout().toNanos();
            channel.eventLoop().schedule(() -> evictIfIdle(conn), idle, TimeUnit.NANOSECONDS);
        }
    }

    private void evictIfIdle(PooledConnection conn) {
        Channel channel;
        synchronized (this) {
            boolean idle = conn.reserved == 0
                    && System.nanoTime() - conn.idleSinceNanos >= settings.idleTimeout().toNanos() - 1_000_000;
            if (!idle) {
                return;
            }
            removeLocked(conn);
            channel = conn.channelOrNull();
        }
        if (channel != null) {
            LOG.log(Level.DEBUG, "closing idle HBONE connection " + conn.key);
            channel.close();
        }
    }

    private synchronized void forget(PooledConnection conn) {
        conn.draining = true;
        removeLocked(conn);
    }

    private void removeLocked(PooledConnection conn) {
        List<PooledConnection> conns = pool.get(conn.key);
        if (conns != null) {
            conns.remove(conn);
            if (conns.isEmpty()) {
                pool.remove(conn.key);
            }
        }
    }

    /** Connections and reserved streams per key. */
    public synchronized List<Stats> stats() {
        List<Stats> out = new ArrayList<>();
        pool.forEach((key, conns) -> out.add(new Stats(key.toString(),
                conns.stream().map(c -> c.reserved).toList())));
        return out;
    }

    /** Closes every pooled connection; streams on them are reset. */
    @Override
    public void close() {
        List<PooledConnection> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            pool.values().forEach(all::addAll);
            pool.clear();
        }
        for (PooledConnection conn : all) {
            conn.ready.tryFailure(new HboneException("HBONE client is shut down", 0));
            Channel channel = conn.channelOrNull();
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** Lowers the stream limit to the peer's and stops new streams after GOAWAY. */
    private final class ConnectionEvents extends ChannelInboundHandlerAdapter {
        private final PooledConnection conn;

        ConnectionEvents(PooledConnection conn) {
            this.conn = conn;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof Http2SettingsFrame frame) {
                Long peerMax = frame.settings().maxConcurrentStreams();
                if (peerMax != null) {
                    synchronized (HbonePool.this) {
                        conn.maxStreams = (int) Math.min(settings.maxStreamsPerConnection(), peerMax);
                    }
                }
            } else if (msg instanceof Http2GoAwayFrame) {
                synchronized (HbonePool.this) {
                    conn.draining = true;
                }
            }
            super.channelRead(ctx, msg);
        }
    }
}
