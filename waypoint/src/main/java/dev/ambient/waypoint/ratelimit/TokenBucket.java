package dev.ambient.waypoint.ratelimit;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@link #tryTake} spends a token if one is there, else says how long until the
 * next. Thread-safe; time comes from a supplier so tests need no sleeping.
 */
public final class TokenBucket {

    private final RateLimit limit;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    public TokenBucket(RateLimit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
        this.tokens = limit.burst();
        this.last = nanoTime.getAsLong();
    }

    /** 0 when a token was taken; otherwise the nanoseconds until one will be there. */
    public synchronized long tryTake() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(limit.burst(), tokens + (now - last) / 1e9 * limit.perSecond());
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / limit.perSecond() * 1e9);
    }
}
