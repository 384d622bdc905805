package dev.ambient.waypoint.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Envoy's circuit breaker counts: refused beyond the limit, counted, and freed slots wake a waiter. */
class CircuitBreakerTest {

    @Test
    void requestsBeyondTheLimitAreRefusedAndCounted() {
        CircuitBreaker b = new CircuitBreaker(new Limits(10, 0, 2, 0));
        assertTrue(b.tryRequest());
        assertTrue(b.tryRequest());
        assertFalse(b.tryRequest());
        assertEquals(1, b.overflows(CircuitBreaker.Overflow.REQUESTS));
        b.requestDone();
        assertTrue(b.tryRequest(), "a finished request frees its slot");
        assertFalse(b.tryPending(), "no pending requests allowed");
        assertEquals(1, b.overflows(CircuitBreaker.Overflow.PENDING));
    }

    @Test
    void aClosedConnectionWakesOneWaiter() {
        CircuitBreaker b = new CircuitBreaker(new Limits(1, 5, 100, 0));
        assertTrue(b.tryConnection());
        assertFalse(b.tryConnection());
        AtomicInteger woken = new AtomicInteger();
        b.onConnectionFreed(woken::incrementAndGet);
        b.onConnectionFreed(woken::incrementAndGet);
        assertTrue(b.waiters());
        b.connectionClosed();
        assertEquals(1, woken.get(), "one slot, one waiter");
        assertTrue(b.tryConnection());
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, 1, 1, 0));
    }

    @Test
    void aBreakerOutlivesReloadsWhileItsLimitsStay() {
        CircuitBreakers all = new CircuitBreakers();
        CircuitBreaker first = all.of(BackendPolicy.defaults("web.shop.svc.cluster.local"));
        assertEquals(first, all.of(BackendPolicy.defaults("web.shop.svc.cluster.local")));
        BackendPolicy tighter = new BackendPolicy("web.shop.svc.cluster.local", "shop/web",
                new Limits(1, 1, 1, 0), BackendPolicy.defaults("x").outliers());
        assertTrue(all.of(tighter) != first, "new limits, new counts");
    }
}
