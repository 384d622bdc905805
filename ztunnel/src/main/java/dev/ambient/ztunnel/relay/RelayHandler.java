package dev.ambient.ztunnel.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import java.util.function.LongConsumer;

/**
 * Reads one end of a relay and writes what it reads to the other end. It asks for the next read
 * only when the other end is writable; the other end's handler asks again when it becomes writable.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

    private final Relay relay;
    final StreamEnd self;
    private final StreamEnd peer;
    private final LongConsumer byteCounter;
    private volatile long bytes;
    private boolean inputDone;
    private boolean pendingFlush;

    RelayHandler(Relay relay, StreamEnd self, StreamEnd peer, LongConsumer byteCounter) {
        this.relay = relay;
        this.self = self;
        this.peer = peer;
        this.byteCounter = byteCounter;
    }

    long bytes() {
        return bytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean end = self.endsInput(msg);
        ByteBuf data = self.content(msg);
        if (data != null) {
            if (inputDone || !data.isReadable()) {
                data.release();
            } else {
                int n = data.readableBytes();
                bytes += n;
                byteCounter.accept(n);
                peer.channel().write(peer.frame(data), peer.channel().voidPromise());
                pendingFlush = true;
            }
        }
        if (end) {
            inputEnded();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (pendingFlush) {
            pendingFlush = false;
            peer.channel().flush();
        }
        if (!inputDone && peer.channel().isWritable()) {
            ctx.read();
        }
        // Otherwise the peer's handler calls read() on this channel when the peer drains.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (self.endsInput(evt)) {
            inputEnded();
        } else if (!(evt instanceof ChannelInputShutdownReadComplete)) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // This end drained: the other end may read again.
        if (self.channel().isWritable()) {
            relay.handlerReading(peer).resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void resume() {
        if (!inputDone) {
            self.channel().read();
        }
    }

    private void inputEnded() {
        if (inputDone) {
            return;
        }
        inputDone = true;
        pendingFlush = false;
        peer.channel().flush();
        peer.shutdownOutput().addListener(f -> {
            if (f.isSuccess()) {
                relay.directionDone();
            } else {
                relay.ended(peer, f.cause());
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        relay.ended(self, null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        relay.ended(self, cause);
    }
}
