package dev.ambient.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.LoopbackHosts;
import dev.ambient.bench.upstream.HttpUpstream;
import dev.ambient.ztunnel.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The load generator against the upstream on loopback: every scheduled request gets a checked answer. */
class LoadGeneratorLoopbackTest {

    private final Transport transport = Transport.best();
    private final EventLoopGroup group = transport.newGroup(1, new DefaultThreadFactory("test-load", true));

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void everyScheduledRequestIsAnsweredAndRecorded() throws Exception {
        AtomicInteger windows = new AtomicInteger();
        MeasurementWindow window = new MeasurementWindow() {
            @Override
            public void opened() {
                windows.incrementAndGet();
            }

            @Override
            public void closed() {
                windows.incrementAndGet();
            }
        };
        try (HttpUpstream upstream = HttpUpstream.start(LoopbackHosts.SERVER, transport, group, 1024);
                LoadGenerator load = new LoadGenerator(new Connector(group, transport.socketChannel(),
                        Duration.ofSeconds(5)))) {
            LoadPlan plan = new LoadPlan(200, 4, Duration.ofMillis(200), Duration.ofMillis(500), 1024);
            LoadResult result = load.run(Route.tcp(LoopbackHosts.CLIENT, upstream.address()), plan,
                    new SplittableRandom(1), window);
            assertEquals(0, result.errors(), result.errorSamples().toString());
            assertEquals(100, result.scheduled());
            assertEquals(result.scheduled(), result.measuredOk());
            assertEquals(result.measuredOk(), result.latencies().getTotalCount());
            assertTrue(result.achievedRate() > 0);
            assertEquals(2, windows.get());
        }
    }
}
