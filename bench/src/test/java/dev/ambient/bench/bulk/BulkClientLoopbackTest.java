package dev.ambient.bench.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.LoopbackHosts;
import dev.ambient.bench.load.Connector;
import dev.ambient.bench.load.Route;
import dev.ambient.bench.upstream.ByteSink;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bulk transfer into the sink on loopback, confirmed by the sink's count after the half-close. */
class BulkClientLoopbackTest {

    private final Transport transport = Transport.best();
    private final EventLoopGroup group = transport.newGroup(1, new DefaultThreadFactory("test-bulk", true));
    private final Connector connector = new Connector(group, transport.socketChannel(), Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void theSinkConfirmsEveryByte() throws Exception {
        long bytes = (8L << 20) + 12345;
        try (ByteSink sink = ByteSink.start(LoopbackHosts.SERVER, transport, group)) {
            BulkResult result = new BulkClient(connector).transfer(Route.tcp(LoopbackHosts.CLIENT, sink.address()),
                    bytes, Duration.ofSeconds(30), new SplittableRandom(2));
            assertEquals(bytes, result.bytes());
            assertTrue(result.megabytesPerSecond() > 0);
        }
    }

    @Test
    void aRefusedConnectionIsAnOperatorError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, LoopbackHosts.SERVER)) {
            closedPort = s.getLocalPort();
        }
        Route nowhere = Route.tcp(LoopbackHosts.CLIENT, new InetSocketAddress(LoopbackHosts.SERVER, closedPort));
        BenchException e = assertThrows(BenchException.class, () -> new BulkClient(connector)
                .transfer(nowhere, 1 << 20, Duration.ofSeconds(10), new SplittableRandom(3)));
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
    }
}
