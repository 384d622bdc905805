package dev.ambient.ztunnel.socks;

import dev.ambient.ztunnel.proxy.OutboundProxy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;

/** The pipeline of a SOCKS5 client connection (port 15080). */
public final class Socks5Initializer extends ChannelInitializer<Channel> {

    private final OutboundProxy proxy;

    public Socks5Initializer(OutboundProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast("socks-encoder", Socks5ServerEncoder.DEFAULT);
        ch.pipeline().addLast("socks-initial", new Socks5InitialRequestDecoder());
        ch.pipeline().addLast("socks", new Socks5Handler(proxy));
    }
}
