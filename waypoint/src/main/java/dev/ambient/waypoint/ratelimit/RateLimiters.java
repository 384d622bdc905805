package dev.ambient.waypoint.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The waypoint's buckets, one per route rule and limit, kept across snapshots so that a reload
 * does not refill them.
 */
public final class RateLimiters {

    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** 0 when the request may pass; else the nanoseconds until the rule's bucket has a token. */
    public long tryTake(String rule, RateLimit limit) {
        return buckets.computeIfAbsent(rule + " " + limit, k -> new TokenBucket(limit, System::nanoTime)).tryTake();
    }

    /** Whole seconds for {@code retry-after} (at least 1), from nanoseconds to wait. */
    public static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }
}
