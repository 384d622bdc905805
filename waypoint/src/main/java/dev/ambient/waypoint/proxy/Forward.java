package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.route.RetryPolicy;
import dev.ambient.ztunnel.hbone.HboneTarget;
import dev.ambient.ztunnel.proxy.OutboundRoute;
import dev.ambient.ztunnel.proxy.WaypointLayer;
import dev.ambient.ztunnel.state.Workload;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One request's way to a backend, retries included: each attempt resolves an endpoint afresh (so a
 * retry tends to land on another one), opens its own HBONE stream and sends a duplicate of the held
 * request; a failed connection, a reset or a response code the route retries earns another attempt
 * while attempts, the retry budget and the route's deadline last. Every attempt's outcome is reported
 * per endpoint, for outlier detection. The request's body is held whole,
 * so every request is replayable. {@code done} gets the response to pass on, or null and the status
 * to answer with.
 */
final class Forward {

    private final WaypointLayer.Context context;
    private final InetSocketAddress client;
    private final FullHttpRequest request;
    private final Supplier<Optional<OutboundRoute.Tunnel>> endpoints;
    private final Optional<RetryPolicy> retry;
    private final RetryBudget budget;
    private final EventLoop loop;
    private final BiConsumer<FullHttpResponse, HttpResponseStatus> done;
    private final BiConsumer<Workload, Boolean> outcome;
    private final long deadlineNanos;
    private int retriesLeft;

    /** Takes ownership of {@code request}; releases it when done. */
    Forward(WaypointLayer.Context context, InetSocketAddress client, FullHttpRequest request,
            Supplier<Optional<OutboundRoute.Tunnel>> endpoints, Optional<Duration> timeout, Optional<RetryPolicy> retry,
            RetryBudget budget, EventLoop loop, BiConsumer<Workload, Boolean> outcome,
            BiConsumer<FullHttpResponse, HttpResponseStatus> done) {
        this.outcome = outcome;
        this.context = context;
        this.client = client;
        this.request = request;
        this.endpoints = endpoints;
        this.retry = retry;
        this.budget = budget;
        this.loop = loop;
        this.done = done;
        this.deadlineNanos = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        this.retriesLeft = retry.map(RetryPolicy::attempts).orElse(0);
    }

    void start() {
        budget.requestStarted();
        attempt(false);
    }

    private void attempt(boolean isRetry) {
        Optional<OutboundRoute.Tunnel> to = endpoints.get();
        if (to.isEmpty()) {
            finish(null, HttpResponseStatus.SERVICE_UNAVAILABLE, isRetry);
            return;
        }
        Workload backend = to.get().destination();
        HboneTarget target = new HboneTarget(context.self().identity(), backend.identity(),
                new InetSocketAddress(backend.ip(), context.hbonePort()), to.get().authority(), client, "");
        context.pool().open(target, loop).addListener(f -> {
            if (!f.isSuccess()) {
                outcome.accept(backend, true);
                retryOr(isRetry, HttpResponseStatus.SERVICE_UNAVAILABLE);
                return;
            }
            long left = deadlineNanos - System.nanoTime();
            Optional<Duration> perTry = deadlineNanos == Long.MAX_VALUE ? Optional.empty()
                    : Optional.of(Duration.ofNanos(Math.max(1, left)));
            Upstream.exchange((Http2StreamChannel) f.getNow(), request.retainedDuplicate(), perTry, response -> {
                outcome.accept(backend, response == null || response.status().code() >= 500);
                if (response == null) {
                    retryOr(isRetry, System.nanoTime() >= deadlineNanos ? HttpResponseStatus.GATEWAY_TIMEOUT
                            : HttpResponseStatus.BAD_GATEWAY);
                } else if (retry.isPresent() && retry.get().retries(response.status().code()) && mayRetry()) {
                    response.release();
                    again(isRetry);
                } else {
                    finish(response, response.status(), isRetry);
                }
            });
        });
    }

    private void retryOr(boolean isRetry, HttpResponseStatus status) {
        if (status != HttpResponseStatus.GATEWAY_TIMEOUT && mayRetry()) {
            again(isRetry);
        } else {
            finish(null, status, isRetry);
        }
    }

    private boolean mayRetry() {
        return retriesLeft > 0 && System.nanoTime() < deadlineNanos && budget.tryRetry();
    }

    private void again(boolean wasRetry) {
        if (wasRetry) {
            budget.retryEnded();
        }
        retriesLeft--;
        long backoff = retry.map(r -> r.backoff().toNanos()).orElse(0L);
        loop.schedule(() -> attempt(true), backoff, TimeUnit.NANOSECONDS);
    }

    private void finish(FullHttpResponse response, HttpResponseStatus status, boolean isRetry) {
        if (isRetry) {
            budget.retryEnded();
        }
        budget.requestEnded();
        request.release();
        done.accept(response, status);
    }
}
