package dev.ambient.ztunnel.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * A TLS client and server joined back to back in memory: two {@link EmbeddedChannel}s whose
 * outbound bytes are handed to each other until neither has anything left to say. Real
 * BoringSSL handshakes, no sockets, no threads, deterministic. {@link #close()} releases every
 * buffer still queued.
 */
public final class EmbeddedTlsPair implements AutoCloseable {

    private static final int MAX_ROUNDS = 50;

    private final EmbeddedChannel client;
    private final EmbeddedChannel server;
    private final SslHandler clientHandler;
    private final SslHandler serverHandler;
    private final List<Throwable> pipelineErrors = new ArrayList<>();

    private EmbeddedTlsPair(SslHandler clientHandler, SslHandler serverHandler) {
        this.clientHandler = clientHandler;
        this.serverHandler = serverHandler;
        this.server = new EmbeddedChannel(serverHandler);
        this.client = new EmbeddedChannel(clientHandler);
    }

    /** Connects a client and a server and runs the handshake to its end, successful or not. */
    public static EmbeddedTlsPair handshake(SslContext clientContext, SslContext serverContext) {
        // No peer host and port: exactly how the mesh creates client handlers (no SNI, no resumption).
        return handshake(clientContext.newHandler(ByteBufAllocator.DEFAULT),
                serverContext.newHandler(ByteBufAllocator.DEFAULT));
    }

    /** As {@link #handshake(SslContext, SslContext)} with handlers made by the caller. */
    public static EmbeddedTlsPair handshake(SslHandler clientHandler, SslHandler serverHandler) {
        EmbeddedTlsPair pair = new EmbeddedTlsPair(clientHandler, serverHandler);
        pair.shuttle();
        return pair;
    }

    public SslHandler clientHandler() {
        return clientHandler;
    }

    public SslHandler serverHandler() {
        return serverHandler;
    }

    public boolean clientOpen() {
        return client.isActive();
    }

    public boolean serverOpen() {
        return server.isActive();
    }

    /** Exceptions the pipelines raised while bytes were moved, for failure messages. */
    public List<Throwable> pipelineErrors() {
        return List.copyOf(pipelineErrors);
    }

    private void shuttle() {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean moved = transfer(client, server);
            moved |= transfer(server, client);
            if (!moved) {
                return;
            }
        }
        throw new AssertionError("TLS peers still talking after " + MAX_ROUNDS + " rounds");
    }

    private boolean transfer(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        for (Object message = from.readOutbound(); message != null; message = from.readOutbound()) {
            moved = true;
            if (!to.isOpen()) {
                ReferenceCountUtil.release(message);
                continue;
            }
            try {
                to.writeInbound(message);
            } catch (RuntimeException e) {
                // EmbeddedChannel rethrows what the pipeline raised; the handshake futures carry it too.
                pipelineErrors.add(e);
            }
        }
        return moved;
    }

    @Override
    public void close() {
        for (EmbeddedChannel channel : List.of(client, server)) {
            try {
                channel.finishAndReleaseAll();
            } catch (RuntimeException e) {
                pipelineErrors.add(e);
            }
        }
    }
}
