package dev.ambient.ztunnel.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * One end of a relay: a plain TCP socket or one HBONE stream. The two differ only in how bytes are
 * framed and how a half-close is spelled (FIN versus END_STREAM); the relay itself is the same.
 */
public sealed interface StreamEnd permits StreamEnd.Tcp, StreamEnd.Hbone {

    Channel channel();

    /** Bytes carried by an inbound message, ownership passed to the caller; null when it carries none. */
    ByteBuf content(Object msg);

    /** Whether an inbound message or user event says the peer will send no more. */
    boolean endsInput(Object msgOrEvent);

    /** Frames bytes for writing on this end. */
    Object frame(ByteBuf data);

    /**
     * Half-closes this end's output after everything written so far: the peer sees end of stream but
     * may keep sending.
     */
    ChannelFuture shutdownOutput();

    /** Closes this end once what was written so far is out (or reset, for an unfinished stream). */
    void closeAfterWrites();

    static StreamEnd of(Channel channel) {
        return channel instanceof Http2StreamChannel stream ? new Hbone(stream) : new Tcp((DuplexChannel) channel);
    }

    /** A TCP socket; needs {@code ALLOW_HALF_CLOSURE} so a FIN arrives as an event, not a close. */
    record Tcp(DuplexChannel channel) implements StreamEnd {
        @Override
        public ByteBuf content(Object msg) {
            if (msg instanceof ByteBuf buf) {
                return buf;
            }
            ReferenceCountUtil.release(msg);
            return null;
        }

        @Override
        public boolean endsInput(Object msgOrEvent) {
            return msgOrEvent instanceof ChannelInputShutdownEvent;
        }

        @Override
        public Object frame(ByteBuf data) {
            return data;
        }

        @Override
        public ChannelFuture shutdownOutput() {
            // Netty's shutdownOutput fails writes still queued, so wait for them to reach the socket.
            ChannelPromise done = channel.newPromise();
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                if (f.isSuccess()) {
                    channel.shutdownOutput(done);
                } else {
                    done.tryFailure(f.cause());
                }
            });
            return done;
        }

        @Override
        public void closeAfterWrites() {
            if (channel.isOpen()) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** One HTTP/2 stream of an HBONE tunnel: DATA frames carry the bytes, END_STREAM is the half-close. */
    record Hbone(Http2StreamChannel channel) implements StreamEnd {
        @Override
        public ByteBuf content(Object msg) {
            if (msg instanceof Http2DataFrame data) {
                return data.content();
            }
            // Trailers or anything else carry no tunnelled bytes.
            ReferenceCountUtil.release(msg);
            return null;
        }

        @Override
        public boolean endsInput(Object msgOrEvent) {
            return (msgOrEvent instanceof Http2DataFrame data && data.isEndStream())
                    || (msgOrEvent instanceof Http2HeadersFrame headers && headers.isEndStream());
        }

        @Override
        public Object frame(ByteBuf data) {
            return new DefaultHttp2DataFrame(data, false);
        }

        @Override
        public ChannelFuture shutdownOutput() {
            return channel.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
        }

        @Override
        public void closeAfterWrites() {
            // DATA already written is queued in order ahead of the close; a stream that has not sent
            // END_STREAM is reset, which is what the other side must see when its peer vanished.
            channel.close();
        }
    }
}
