package dev.ambient.waypoint.route;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A rule's {@code retry} (Gateway API GEP-1731): how many more attempts a failed request gets, on
 * which response codes (a failed connection or a reset stream is always worth another attempt), and
 * how long to wait between attempts. Only requests that can be sent again safely are retried.
 *
 * @param attempts retries after the first attempt
 * @param codes response codes that are retried
 * @param backoff the pause before each retry
 */
public record RetryPolicy(int attempts, Set<Integer> codes, Duration backoff) {

    public RetryPolicy {
        Objects.requireNonNull(backoff, "backoff");
        codes = Set.copyOf(codes);
        if (attempts < 0 || attempts > 10) {
            throw new IllegalArgumentException("BUG: retry attempts " + attempts + " outside 0-10");
        }
    }

    public boolean retries(int status) {
        return codes.contains(status);
    }
}
