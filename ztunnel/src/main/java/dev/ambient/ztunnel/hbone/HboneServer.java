package dev.ambient.ztunnel.hbone;

import dev.ambient.ztunnel.net.TcpListener;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The HBONE listener (port 15008): mutual TLS, then HTTP/2, then one CONNECT per stream. It presents
 * the certificate of the workload whose address the connection arrived on, requires a client SVID,
 * rejects malformed CONNECTs itself (400) and hands well-formed ones to the inbound proxy.
 */
public final class HboneServer implements AutoCloseable {

    private static final Logger LOG = System.getLogger(HboneServer.class.getName());

    /** The server certificate to present on a connection that arrived for a given local address. */
    @FunctionalInterface
    public interface ServerCertificates {
        /** Empty when no workload served by this node has that address (the connection is refused). */
        Optional<SslContext> forLocalAddress(InetAddress local);
    }

    private final TcpListener listener;

    public HboneServer(InetSocketAddress address, Transport transport, EventLoopGroup group,
            ServerCertificates certificates, HboneSettings settings, Duration drain, boolean transparent,
            Consumer<InboundRequest> acceptor) {
        Objects.requireNonNull(certificates, "certificates");
        Objects.requireNonNull(acceptor, "acceptor");
        this.listener = new TcpListener("HBONE", address, transport, group, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                InetSocketAddress local = (InetSocketAddress) ch.localAddress();
                Optional<SslContext> tls = certificates.forLocalAddress(local.getAddress());
                if (tls.isEmpty()) {
                    LOG.log(Level.WARNING, "HBONE connection from " + ch.remoteAddress() + " to " + local
                            + " refused: no workload on this node has that address, or its certificate is not ready");
                    ch.close();
                    return;
                }
                SslHandler ssl = tls.get().newHandler(ch.alloc());
                ssl.setHandshakeTimeoutMillis(settings.connectTimeout().toMillis());
                ch.pipeline().addLast("tls", ssl);
                ch.pipeline().addLast("hbone-handshake", new ServerHandshake(settings, drain, acceptor));
                // The connection itself is always read; each stream's flow-control window bounds its bytes.
                ch.config().setAutoRead(true);
            }
        }, transparent);
    }

    public HboneServer start() {
        listener.start();
        return this;
    }

    public InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    public int openConnections() {
        return listener.openConnections();
    }

    /**
     * Stops accepting and asks every peer to go away (GOAWAY): open streams continue, new ones are
     * refused so clients move to another connection.
     */
    public void drain() {
        listener.stopAccepting();
        listener.accepted().close();
    }

    public boolean awaitIdle(Instant deadline) throws InterruptedException {
        return listener.awaitIdle(deadline);
    }

    @Override
    public void close() {
        listener.close();
    }
}
