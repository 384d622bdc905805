package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.authz.RequestFacts;
import dev.ambient.waypoint.http.HeaderHygiene;
import dev.ambient.waypoint.http.HostName;
import dev.ambient.waypoint.http.PathNormalizer;
import dev.ambient.waypoint.ratelimit.RateLimiters;
import dev.ambient.waypoint.route.Backend;
import dev.ambient.waypoint.route.RouteRule;
import dev.ambient.ztunnel.authz.Decision;
import dev.ambient.ztunnel.identity.SpiffeId;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The request filters in their order, on a request's head alone: hygiene (400), normalization,
 * L7 authorization (403), route selection (404 when the service has routes and none matches), the
 * rule's rate limit (429), the backend, header modification and trace context. Either the request
 * goes on ({@link Pass}, its head edited in place) or it is answered here ({@link Reply}). No I/O,
 * so every filter decision is testable without a channel.
 */
final class Admission {

    private static final Logger LOG = System.getLogger(Admission.class.getName());

    /** What happened to a request at the waypoint's front. */
    sealed interface Verdict permits Pass, Reply {}

    /** Forward to {@code backend} under {@code rule} (empty: the service itself, no route). */
    record Pass(Backend backend, Optional<RouteRule> rule) implements Verdict {}

    /** Answer locally; {@code flags} as Envoy's response flags (UAEX for a denial, RL for a rate limit). */
    record Reply(HttpResponseStatus status, String body, Map<String, String> headers, String flags)
            implements Verdict {
        static Reply of(HttpResponseStatus status, String body, String flags) {
            return new Reply(status, body, Map.of(), flags);
        }
    }

    private Admission() {}

    static Verdict admit(HttpRequest request, SpiffeId peer, String serviceHost, int servicePort, L7Config config,
            RateLimiters limiters, SplittableRandom random) {
        if (request.decoderResult().isFailure() || HeaderHygiene.unsafe(request.headers()).isPresent()) {
            return Reply.of(HttpResponseStatus.BAD_REQUEST, "malformed request", "DPE");
        }
        Optional<PathNormalizer.Normalized> path = PathNormalizer.normalize(request.uri());
        Optional<String> host = HostName.normalize(request.headers().get(HttpHeaderNames.HOST));
        if (path.isEmpty() || host.isEmpty()) {
            return Reply.of(HttpResponseStatus.BAD_REQUEST, "unreadable path or host", "DPE");
        }
        HeaderHygiene.stripInternal(request.headers());
        HeaderHygiene.stripHopByHop(request.headers());
        RequestFacts facts = new RequestFacts(Optional.of(peer.principal()), peer.namespace(), request.method().name(),
                path.get().path(), host.get(), serviceHost);
        Decision decision = config.authorizer().authorize(facts);
        if (!decision.dryRuns().isEmpty()) {
            LOG.log(Level.INFO, "dry-run policy result for " + facts + ": " + decision.dryRuns());
        }
        if (decision.denied()) {
            return Reply.of(HttpResponseStatus.FORBIDDEN, "RBAC: access denied", "UAEX");
        }
        Optional<RouteRule> rule = config.routes().select(serviceHost, facts.method(), facts.path(),
                name -> request.headers().get(name));
        if (config.routes().routes(serviceHost) && rule.isEmpty()) {
            return Reply.of(HttpResponseStatus.NOT_FOUND, "no route matches", "NR");
        }
        if (rule.isPresent() && rule.get().rateLimit().isPresent()) {
            long wait = limiters.tryTake(rule.get().route(), rule.get().rateLimit().get());
            if (wait > 0) {
                return new Reply(HttpResponseStatus.TOO_MANY_REQUESTS, "local rate limited",
                        Map.of(HttpHeaderNames.RETRY_AFTER.toString(), Long.toString(RateLimiters.retryAfterSeconds(wait))),
                        "RL");
            }
        }
        Optional<Backend> backend = rule.isEmpty() ? Optional.of(new Backend(serviceHost, servicePort, 1))
                : rule.get().pick(random);
        if (backend.isEmpty()) {
            return Reply.of(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the route has no backend", "NR");
        }
        rule.ifPresent(r -> {
            r.removeHeaders().forEach(request.headers()::remove);
            r.setHeaders().forEach(request.headers()::set);
            r.addHeaders().forEach(request.headers()::add);
        });
        TraceHeaders.ensure(request.headers(), random);
        return new Pass(backend.get(), rule);
    }
}
