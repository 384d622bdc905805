package dev.ambient.waypoint.proxy;

import dev.ambient.waypoint.circuit.CircuitBreaker;
import dev.ambient.waypoint.detect.Protocol;
import dev.ambient.waypoint.route.RetryPolicy;
import dev.ambient.waypoint.route.RouteRule;
import dev.ambient.waypoint.upstream.Lease;
import dev.ambient.waypoint.upstream.OverflowException;
import dev.ambient.ztunnel.proxy.OutboundRoute;
import dev.ambient.ztunnel.state.Workload;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One request's way through a backend, streamed both ways with backpressure: the request body is
 * read from the client only as fast as the upstream takes it, the response body only as fast as the
 * client takes it. Until a response is passed on (committed), an {@link Attempt} that fails to
 * connect, is reset, outlives {@code timeouts.backendRequest} or answers a status the route retries
 * is dropped and another endpoint tried, while attempts, the retry budget, the deadline and the
 * {@link RequestBody} (kept for replay up to a cap) allow. After the commit a failure can only cut the
 * client's stream. Runs on the client's event loop; the upstream channel is leased on the same loop.
 */
final class Exchange {

    /** What the exchange reports as it goes, for the filters' counters. */
    interface Events {
        /** Another attempt is made. */
        void retried();

        /** The body outgrew what is kept for a retry. */
        void replayCapExceeded();
    }

    /** Opens (or reuses) an upstream channel to an endpoint. */
    @FunctionalInterface
    interface Leaser {
        Future<Lease> lease(OutboundRoute.Tunnel to);
    }

    /**
     * How the exchange ended: what the client got, and whether the response was whole ({@code clean});
     * the rest of an unread request body is then the client channel's to drop.
     */
    record Outcome(int status, String flags, Optional<Workload> endpoint, int attempts, long requestBytes,
            long responseBytes, boolean clean, Optional<Channel> upgradedTo) {}

    private final ChannelHandlerContext down;
    private final HttpRequest head;
    private final Protocol protocol;
    private final boolean keepAlive;
    private final BackendEndpoints endpoints;
    private final Optional<RetryPolicy> retry;
    private final Optional<Duration> attemptTimeout;
    private final CircuitBreaker breaker;
    private final RetryBudget budget;
    private final Leaser leaser;
    private final RequestBody body;
    private final Events events;
    private final Consumer<Outcome> done;
    private final long deadline;
    private final boolean grpc;
    private ScheduledFuture<?> timer;
    private Attempt current;
    private Workload lastEndpoint;
    private int attempts;
    private int retriesLeft;
    private boolean inRetry;
    private boolean requestSlot;
    private boolean requestSent;
    private boolean committed;
    private boolean upstreamKeepAlive;
    private boolean finished;
    private boolean overflowReported;
    private int status;
    private long responseBytes;
    private Channel upgradedTo;

    /** {@code rule}: the route rule the request matched, whose timeouts and retry policy apply; empty for none. */
    Exchange(ChannelHandlerContext down, HttpRequest head, Protocol protocol, boolean keepAlive,
            BackendEndpoints endpoints, Optional<RouteRule> rule, CircuitBreaker breaker, RetryBudget budget,
            Leaser leaser, long replayCap, Events events, Consumer<Outcome> done) {
        Optional<Duration> timeout = rule.flatMap(RouteRule::timeout);
        this.down = down;
        this.head = head;
        this.protocol = protocol;
        this.keepAlive = keepAlive;
        this.endpoints = endpoints;
        this.retry = rule.flatMap(RouteRule::retry);
        this.attemptTimeout = rule.flatMap(RouteRule::attemptTimeout);
        this.breaker = breaker;
        this.budget = budget;
        this.leaser = leaser;
        this.events = events;
        this.done = done;
        this.body = new RequestBody(retry.isPresent(), replayCap);
        this.retriesLeft = retry.map(RetryPolicy::attempts).orElse(0);
        this.deadline = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        this.grpc = Replies.grpc(head.headers());
        timeout.ifPresent(t -> timer = down.executor().schedule(this::timedOut, t.toNanos(), TimeUnit.NANOSECONDS));
    }

    void start() {
        budget.requestStarted();
        if (!breaker.tryRequest()) {
            fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream overflow", "UO", true);
            return;
        }
        requestSlot = true;
        attempt();
    }

    /** A piece of the request body (owned from here on). */
    void requestContent(HttpContent chunk) {
        if (finished) {
            chunk.release();
            return;
        }
        body.add(chunk);
        if (body.overflowed() && !overflowReported) {
            overflowReported = true;
            events.replayCapExceeded();
        }
        Channel up = upstream();
        if (up != null) {
            requestSent |= body.writeTo(up);
            pullRequest();
        }
    }

    /** Reads more of the request when the upstream can take it. */
    void pullRequest() {
        Channel up = upstream();
        if (!finished && !body.complete() && up != null && up.isWritable()) {
            down.read();
        }
    }

    /** The client can take more of the response. */
    void downstreamWritable() {
        Channel up = upstream();
        if (!finished && committed && up != null && down.channel().isWritable()) {
            up.read();
        }
    }

    /** The client went away: drop the upstream side. */
    void downstreamGone() {
        if (!finished) {
            finish(status == 0 ? 499 : status, "DC", false);
        }
    }

    private Channel upstream() {
        return current == null ? null : current.channel();
    }

    private void attempt() {
        attempts++;
        Optional<OutboundRoute.Tunnel> to = endpoints.next();
        if (to.isEmpty()) {
            fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "no healthy upstream", "UH", false);
            return;
        }
        Attempt attempt = new Attempt(to.get().destination());
        current = attempt;
        lastEndpoint = attempt.endpoint;
        Future<Lease> leasing = leaser.lease(to.get());
        attempt.leasing(leasing, attemptTimeout.map(t -> down.executor().schedule(() -> attemptTimedOut(attempt),
                t.toNanos(), TimeUnit.NANOSECONDS)).orElse(null));
        leasing.addListener(f -> {
            if (attempt != current || finished) {
                if (f.isSuccess()) {
                    ((Lease) f.getNow()).release(false);
                }
                return;
            }
            if (!f.isSuccess()) {
                if (f.cause() instanceof OverflowException) {
                    fail(HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream overflow", "UO", true);
                } else {
                    endpoints.report(attempt.endpoint, true);
                    retryOr(HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream connect error", "UF");
                }
                return;
            }
            Channel up = attempt.attach((Lease) f.getNow(), new AttemptReader(this, attempt));
            up.write(new DefaultHttpRequest(head.protocolVersion(), head.method(), head.uri(), head.headers().copy()));
            requestSent = body.writeTo(up);
            up.read();
            pullRequest();
        });
    }

    /** Whether {@code attempt}'s channel should be read further: it is current and the client keeps up. */
    boolean wantsResponse(Attempt attempt) {
        return attempt == current && !finished && (!committed || down.channel().isWritable());
    }

    void response(Attempt attempt, Object msg) {
        if (msg instanceof ByteBuf bytes && upgradedTo != null) {
            down.channel().writeAndFlush(new DefaultHttp2DataFrame(bytes, false)); // after the 101, before the splice
            return;
        }
        if (attempt != current || finished) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse r && !committed) {
            if (r.status().code() == 101 && Upgrade.requested(head.headers()).isPresent()) {
                upgrade(attempt, r);
                return;
            }
            if (r.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                ReferenceCountUtil.release(msg); // 100 Continue was answered to the client already
                return;
            }
            int code = r.status().code();
            endpoints.report(attempt.endpoint, code >= 500);
            if (retry.isPresent() && retry.get().retries(code) && mayRetry()) {
                ReferenceCountUtil.release(msg);
                again();
                return;
            }
            commit(attempt, r);
            if (!(msg instanceof LastHttpContent)) {
                return;
            }
        } else if (msg instanceof HttpContent c && committed) {
            responseBytes += c.content().readableBytes();
            down.writeAndFlush(c);
        } else {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof LastHttpContent) {
            finish(status, "-", true);
        }
    }

    /** The backend switched protocols: the 101 goes to the client and both tunnels are spliced. */
    private void upgrade(Attempt attempt, HttpResponse r) {
        committed = true;
        status = 101;
        String protocol = r.headers().get(HttpHeaderNames.UPGRADE, Upgrade.requested(head.headers()).get());
        ResponseFraming.prepare(r, head.method(), this.protocol, keepAlive);
        Upgrade.keep(r.headers(), protocol);
        r.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        down.writeAndFlush(r);
        upgradedTo = attempt.detach();
        current = null;
        Upgrade.switchOver(down.channel(), upgradedTo);
        finish(101, "-", true);
    }

    private void commit(Attempt attempt, HttpResponse r) {
        committed = true;
        attempt.responded();
        status = r.status().code();
        body.stopKeeping();
        upstreamKeepAlive = HttpUtil.isKeepAlive(r);
        if (r instanceof FullHttpResponse full) {
            responseBytes += full.content().readableBytes();
        }
        ResponseFraming.prepare(r, head.method(), protocol, keepAlive);
        down.writeAndFlush(r);
    }

    void upstreamGone(Attempt attempt) {
        if (attempt != current || finished) {
            return;
        }
        if (!committed) {
            endpoints.report(attempt.endpoint, true);
            retryOr(HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream reset before response", "UC");
        } else {
            finish(status, "UC", false);
        }
    }

    /** An attempt had no response within {@code timeouts.backendRequest}: like a reset, worth another attempt. */
    private void attemptTimedOut(Attempt attempt) {
        if (attempt != current || finished || committed) {
            return;
        }
        endpoints.report(attempt.endpoint, true);
        retryOr(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream per-try timeout", "UT");
    }

    private void timedOut() {
        if (!finished) {
            fail(HttpResponseStatus.GATEWAY_TIMEOUT, "upstream request timeout", "UT", false);
        }
    }

    private void retryOr(HttpResponseStatus status, String why, String flags) {
        if (mayRetry()) {
            again();
        } else {
            fail(status, why, flags, false);
        }
    }

    private boolean mayRetry() {
        return retriesLeft > 0 && System.nanoTime() < deadline && body.replayable() && budget.tryRetry();
    }

    private void again() {
        if (inRetry) {
            budget.retryEnded();
        }
        inRetry = true;
        retriesLeft--;
        events.retried();
        dropAttempt(); // its late events are ignored from now on
        body.rewind();
        long backoff = retry.map(r -> r.backoff().toNanos()).orElse(0L);
        down.executor().schedule(() -> {
            if (!finished) {
                attempt();
            }
        }, backoff, TimeUnit.NANOSECONDS);
    }

    private void dropAttempt() {
        if (current != null) {
            current.end(false);
            current = null;
        }
    }

    /** Answers locally before the commit; after it, cuts the client's stream. */
    private void fail(HttpResponseStatus status, String why, String flags, boolean overloaded) {
        if (committed) {
            finish(this.status, flags, false);
            return;
        }
        dropAttempt();
        Admission.Reply reply = new Admission.Reply(status, why,
                overloaded ? Map.of("x-envoy-overloaded", "true") : Map.of(), flags);
        FullHttpResponse response = Replies.of(down.alloc(), reply, grpc);
        if (protocol == Protocol.HTTP1) {
            HttpUtil.setKeepAlive(response, keepAlive);
        }
        committed = true;
        this.status = status.code();
        down.writeAndFlush(response);
        finish(status.code(), flags, true);
    }

    private void finish(int code, String flags, boolean clean) {
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        if (current != null) {
            current.end(clean && requestSent && upstreamKeepAlive);
            current = null;
        }
        body.release();
        if (inRetry) {
            budget.retryEnded();
        }
        budget.requestEnded();
        if (requestSlot) {
            breaker.requestDone();
        }
        done.accept(new Outcome(code, flags, Optional.ofNullable(lastEndpoint), attempts, body.bytes(), responseBytes,
                clean, Optional.ofNullable(upgradedTo)));
    }
}
