package dev.ambient.waypoint.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ambient.waypoint.circuit.CircuitBreaker;
import dev.ambient.waypoint.circuit.Limits;
import dev.ambient.waypoint.detect.Protocol;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pools of endpoints that are gone (a rollout replaced the pods) hold nothing once their connections
 * end, and the sweep drops them, so a long-lived waypoint does not collect one per pod it ever saw.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UpstreamPoolsTest {

    @Test
    void poolsLeftWithNothingAreDropped() throws Exception {
        DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
        try {
            EventLoop loop = group.next();
            UpstreamPools pools = new UpstreamPools(Duration.ofMillis(100));
            CircuitBreaker breaker = new CircuitBreaker(Limits.DEFAULTS);
            Connector refused = () -> loop.newFailedFuture(new IOException("the pod is gone"));
            for (int pod = 0; pod < 20; pod++) {
                for (Protocol protocol : new Protocol[] {Protocol.HTTP1, Protocol.HTTP2}) {
                    String endpoint = "10.240.9." + pod + ":8080";
                    Future<Lease> lease = loop.submit(() -> pools.lease(loop, "web", endpoint, protocol, breaker,
                            refused)).get().await();
                    assertFalse(lease.isSuccess(), "nothing to connect to");
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (pools.size(loop).get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(0, pools.size(loop).get(), "40 pools without a connection or a waiter are swept");
            assertEquals(0, breaker.connections(), "and every failed connection gave its slot back");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
