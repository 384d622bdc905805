package dev.ambient.waypoint.route;

import dev.ambient.waypoint.ratelimit.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One rule of an HTTPRoute: when it applies, where its requests go (by weight), the request
 * headers it sets, adds and removes, its timeouts, retry policy and rate limit.
 *
 * @param route the HTTPRoute's namespace/name and the rule's index ({@code shop/web#0}), for logs,
 *     metrics and its rate-limit bucket
 * @param matches any of these makes the rule apply; empty means every request
 * @param backends weighted backends; none means the request is answered 500, as the spec says
 * @param setHeaders headers replaced (name lower case)
 * @param addHeaders headers appended
 * @param removeHeaders headers removed
 * @param timeout the whole request's deadline, retries included, when set
 * @param attemptTimeout each attempt's deadline for its response to begin ({@code timeouts.backendRequest})
 * @param retry how failed requests are tried again, when set
 * @param rateLimit the rule's local rate limit, when set
 */
public record RouteRule(String route, List<RouteMatch> matches, List<Backend> backends, Map<String, String> setHeaders,
        Map<String, String> addHeaders, List<String> removeHeaders, Optional<Duration> timeout,
        Optional<Duration> attemptTimeout, Optional<RetryPolicy> retry, Optional<RateLimit> rateLimit) {

    public RouteRule {
        Objects.requireNonNull(route, "route");
        matches = List.copyOf(matches);
        backends = List.copyOf(backends);
        setHeaders = Map.copyOf(setHeaders);
        addHeaders = Map.copyOf(addHeaders);
        removeHeaders = List.copyOf(removeHeaders);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(rateLimit, "rateLimit");
    }

    /** The backend for one request, drawn by weight; empty when every weight is 0 or there is none. */
    public Optional<Backend> pick(SplittableRandom random) {
        int total = backends.stream().mapToInt(Backend::weight).sum();
        if (total <= 0) {
            return Optional.empty();
        }
        int draw = random.nextInt(total);
        for (Backend b : backends) {
            draw -= b.weight();
            if (draw < 0) {
                return Optional.of(b);
            }
        }
        throw new IllegalStateException("BUG: weighted draw fell off the end");
    }
}
