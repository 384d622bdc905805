package dev.ambient.ztunnel.socks;

import dev.ambient.ztunnel.proxy.OutboundProxy;
import dev.ambient.ztunnel.proxy.OutboundSession;
import dev.ambient.ztunnel.proxy.ProxyException;
import dev.ambient.ztunnel.relay.EarlyInput;
import dev.ambient.ztunnel.net.IpLiteral;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Workload;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * SOCKS5 CONNECT (no authentication, nothing else): lets a client name its destination explicitly,
 * for hosts without capture and for tests. The source workload is the client's address when that is
 * an enrolled local workload, or the only enrolled local workload when the client is on loopback
 * (a dedicated, per-pod proxy). Destinations may be IPs or service hostnames.
 */
final class Socks5Handler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(Socks5Handler.class.getName());

    private final OutboundProxy proxy;
    private boolean commandSeen;

    Socks5Handler(OutboundProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Socks5InitialRequest initial) {
            if (!initial.authMethods().contains(Socks5AuthMethod.NO_AUTH)) {
                ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.pipeline().replace(Socks5InitialRequestDecoder.class, "socks-command", new Socks5CommandRequestDecoder());
            ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
            ctx.read();
        } else if (msg instanceof Socks5CommandRequest command && !commandSeen) {
            commandSeen = true;
            // Bytes the client sends before our reply wait there for the relay.
            EarlyInput.install(ctx.channel());
            connect(ctx, command);
        } else if (msg instanceof ByteBuf && commandSeen) {
            ctx.fireChannelRead(msg);
        } else {
            ReferenceCountUtil.release(msg);
            LOG.log(Level.INFO, "SOCKS5 client " + ctx.channel().remoteAddress() + " sent an invalid request; closing");
            ctx.close();
        }
    }

    private void connect(ChannelHandlerContext ctx, Socks5CommandRequest command) {
        if (command.type() != Socks5CommandType.CONNECT) {
            reply(ctx, Socks5CommandStatus.COMMAND_UNSUPPORTED);
            return;
        }
        MeshSnapshot snapshot = proxy.state().current();
        Optional<InetSocketAddress> destination = resolve(snapshot, command);
        if (destination.isEmpty()) {
            LOG.log(Level.INFO, "SOCKS5 destination " + command.dstAddr() + " is neither an IP nor a known service");
            reply(ctx, Socks5CommandStatus.HOST_UNREACHABLE);
            return;
        }
        InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
        Optional<Workload> source = source(snapshot, client.getAddress());
        if (source.isEmpty()) {
            LOG.log(Level.WARNING, "SOCKS5 client " + client + " refused: it is not an enrolled workload on this node"
                    + " (connect from the pod's address, or run a dedicated proxy for one workload)");
            reply(ctx, Socks5CommandStatus.FORBIDDEN);
            return;
        }
        proxy.open(ctx.channel(), source.get(), destination.get()).addListener(f -> {
            if (!f.isSuccess()) {
                reply(ctx, status(f.cause()));
                return;
            }
            OutboundSession session = (OutboundSession) f.getNow();
            if (!ctx.channel().isActive()) {
                session.abandon();
                return;
            }
            ctx.writeAndFlush(new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, Socks5AddressType.IPv4,
                    "0.0.0.0", 0)).addListener(w -> {
                        if (!w.isSuccess()) {
                            session.abandon();
                            return;
                        }
                        ctx.pipeline().remove(Socks5ServerEncoder.class);
                        ctx.pipeline().remove(Socks5CommandRequestDecoder.class);
                        ctx.pipeline().remove(this);
                        session.start();
                    });
        });
    }

    private Optional<Workload> source(MeshSnapshot snapshot, InetAddress client) {
        Optional<Workload> byAddress = proxy.localSource(snapshot, client);
        if (byAddress.isPresent() || !client.isLoopbackAddress()) {
            return byAddress;
        }
        List<Workload> local = proxy.localWorkloads(snapshot);
        return local.size() == 1 ? Optional.of(local.get(0)) : Optional.empty();
    }

    private static Optional<InetSocketAddress> resolve(MeshSnapshot snapshot, Socks5CommandRequest command) {
        int port = command.dstPort();
        if (command.dstAddrType() == Socks5AddressType.DOMAIN) {
            Optional<InetAddress> literal = IpLiteral.parse(command.dstAddr());
            if (literal.isPresent()) {
                return Optional.of(new InetSocketAddress(literal.get(), port));
            }
            return snapshot.serviceByHost(command.dstAddr()).map(s -> new InetSocketAddress(s.vip(), port));
        }
        return IpLiteral.parse(command.dstAddr()).map(ip -> new InetSocketAddress(ip, port));
    }

    private static Socks5CommandStatus status(Throwable cause) {
        if (cause instanceof ProxyException e) {
            return switch (e.reason()) {
                case DENIED, UNKNOWN_SOURCE -> Socks5CommandStatus.FORBIDDEN;
                case NO_ROUTE -> Socks5CommandStatus.HOST_UNREACHABLE;
                case UNREACHABLE, TUNNEL_FAILED -> Socks5CommandStatus.CONNECTION_REFUSED;
            };
        }
        return Socks5CommandStatus.FAILURE;
    }

    private void reply(ChannelHandlerContext ctx, Socks5CommandStatus status) {
        ctx.writeAndFlush(new DefaultSocks5CommandResponse(status, Socks5AddressType.IPv4, "0.0.0.0", 0))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.INFO, "SOCKS5 client " + ctx.channel().remoteAddress() + " failed: " + cause.getMessage());
        ctx.close();
    }
}
