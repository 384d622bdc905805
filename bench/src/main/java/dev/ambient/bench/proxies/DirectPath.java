package dev.ambient.bench.proxies;

import dev.ambient.bench.LoopbackHosts;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.Route;
import java.net.InetSocketAddress;
import java.util.List;

/** The baseline: the client pod connects straight to the server pod, with nothing in between. */
public final class DirectPath implements ProxyPath {

    private final Route http;
    private final Route bulk;

    public DirectPath(InetSocketAddress upstream, InetSocketAddress sink) {
        this.http = Route.tcp(LoopbackHosts.CLIENT, upstream);
        this.bulk = Route.tcp(LoopbackHosts.CLIENT, sink);
    }

    @Override
    public Scenario scenario() {
        return Scenario.DIRECT;
    }

    @Override
    public Route httpRoute() {
        return http;
    }

    @Override
    public Route bulkRoute() {
        return bulk;
    }

    @Override
    public List<ProxyProcess> processes() {
        return List.of();
    }

    @Override
    public void close() {}
}
