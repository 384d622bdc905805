package dev.ambient.waypoint.tunnel;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import java.util.concurrent.TimeUnit;

/**
 * Ends an HBONE stream from this side (END_STREAM after everything written) and lets the far side end
 * its own, so the peer reads every byte and no RST_STREAM is sent (which a peer's rapid-reset
 * protection would count); a far side that does not end within {@link #LINGER_SECONDS} is reset.
 */
public final class GracefulEnd {

    public static final long LINGER_SECONDS = 5;

    private GracefulEnd() {}

    public static void end(Channel stream) {
        if (!stream.isActive()) {
            return;
        }
        stream.config().setAutoRead(true); // read (and drop) until the far side ends
        stream.writeAndFlush(new DefaultHttp2DataFrame(true)).addListener(f -> {
            if (!f.isSuccess()) {
                stream.close();
            }
        });
        stream.eventLoop().schedule(() -> stream.close(), LINGER_SECONDS, TimeUnit.SECONDS);
    }
}
