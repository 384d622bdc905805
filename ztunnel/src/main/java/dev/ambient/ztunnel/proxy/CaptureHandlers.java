package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.net.SocketOptions;
import dev.ambient.ztunnel.relay.EarlyInput;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Workload;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;

/**
 * Handlers for connections delivered by capture. With eBPF sk_assign or TPROXY the original
 * destination is simply the accepted socket's local address; behind iptables REDIRECT (a sidecar's
 * pod) it is SO_ORIGINAL_DST.
 */
public final class CaptureHandlers {

    private static final Logger LOG = System.getLogger(CaptureHandlers.class.getName());

    private CaptureHandlers() {}

    /**
     * Port 15001: a local workload's outgoing connection. A connection whose destination is one of
     * this proxy's own ports on a local address would loop back into it, so it is dropped.
     */
    public static ChannelHandler outbound(OutboundProxy proxy, Set<Integer> ownPorts, boolean redirected) {
        return new Sharable() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                InetSocketAddress destination = originalDestination(ctx.channel(), redirected);
                InetSocketAddress source = (InetSocketAddress) ctx.channel().remoteAddress();
                MeshSnapshot snapshot = proxy.state().current();
                // A pod that just left the mesh may still be captured until the datapath catches up;
                // it is then proxied as a pod outside the mesh (direct), never dropped.
                Optional<Workload> from = proxy.localWorkload(snapshot, source.getAddress());
                if (from.isEmpty()) {
                    LOG.log(Level.WARNING, "outbound connection from " + source + " to " + destination
                            + " dropped: the source is not a workload on this node");
                    ctx.close();
                    return;
                }
                if (ownPorts.contains(destination.getPort()) && snapshot.workload(destination.getAddress()).isEmpty()) {
                    LOG.log(Level.WARNING, "outbound connection from " + source + " to the proxy's own port "
                            + destination + " dropped");
                    ctx.close();
                    return;
                }
                ctx.pipeline().remove(this);
                EarlyInput.install(ctx.channel());
                proxy.open(ctx.channel(), from.get(), destination).addListener(f -> {
                    if (f.isSuccess()) {
                        ((OutboundSession) f.getNow()).start();
                    } else {
                        ctx.channel().close();
                    }
                });
            }
        };
    }

    /** Port 15006: plaintext arriving for a local workload, authorized without a source identity. */
    public static ChannelHandler inboundPlaintext(InboundProxy proxy, boolean redirected) {
        return new Sharable() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.pipeline().remove(this);
                EarlyInput.install(ctx.channel());
                proxy.acceptPlaintext(ctx.channel(), originalDestination(ctx.channel(), redirected));
            }
        };
    }

    /** eBPF and TPROXY keep the destination as the local address; iptables REDIRECT keeps it aside. */
    private static InetSocketAddress originalDestination(io.netty.channel.Channel channel, boolean redirected) {
        return redirected ? SocketOptions.originalDestination(channel) : (InetSocketAddress) channel.localAddress();
    }

    @ChannelHandler.Sharable
    private abstract static class Sharable extends ChannelInboundHandlerAdapter {}
}
