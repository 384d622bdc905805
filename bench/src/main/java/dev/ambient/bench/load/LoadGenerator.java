package dev.ambient.bench.load;

import dev.ambient.bench.BenchException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * An open-loop HTTP/1.1 load generator: requests fall due on a fixed {@link OpenLoopSchedule}
 * regardless of responses, over a fixed set of keep-alive connections, and every latency is taken
 * from the scheduled send time. Every response is checked (status 200, the request body echoed).
 */
public final class LoadGenerator implements AutoCloseable {

    private static final long CONNECT_ALL_SECONDS = 20;
    private static final long START_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Connector connector;
    private final ScheduledExecutorService control =
            Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("bench-window", true));

    public LoadGenerator(Connector connector) {
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    /**
     * Opens {@code plan.connections()} connections along {@code route}, runs the plan over them and
     * closes them. {@code random} chooses the request body and the schedule's phase.
     *
     * @throws BenchException when the connections cannot be opened; failures during the run are
     *     counted as errors in the result instead
     */
    public LoadResult run(Route route, LoadPlan plan, SplittableRandom random, MeasurementWindow window)
            throws BenchException, InterruptedException {
        return run(List.of(route), plan, random, window);
    }

    /**
     * The same with the connections spread over {@code routes}: connection i takes route i modulo
     * their number (N client pods calling N server pods).
     */
    public LoadResult run(List<Route> routes, LoadPlan plan, SplittableRandom random, MeasurementWindow window)
            throws BenchException, InterruptedException {
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("BUG: no route to load");
        }
        byte[] payload = new byte[plan.bodyBytes()];
        random.nextBytes(payload);
        ByteBuf body = Unpooled.wrappedBuffer(payload);
        List<ClientConnection> connections = new ArrayList<>();
        try {
            open(routes, plan, body, connections);
            long lead = START_LEAD_NANOS + random.nextLong(1_000_000_000L / plan.rate() + 1);
            OpenLoopSchedule schedule = new OpenLoopSchedule(System.nanoTime() + lead, plan.rate(), plan.connections(),
                    plan.warmup().toNanos(), plan.warmup().plus(plan.duration()).toNanos());
            CountDownLatch settled = new CountDownLatch(connections.size());
            for (ClientConnection c : connections) {
                c.start(schedule, settled::countDown);
            }
            ScheduledFuture<?> opened = control.schedule(window::opened,
                    schedule.measureStartNanos() - System.nanoTime(), TimeUnit.NANOSECONDS);
            ScheduledFuture<?> closed = control.schedule(window::closed,
                    schedule.endNanos() - System.nanoTime(), TimeUnit.NANOSECONDS);
            long deadline = schedule.endNanos() + plan.grace().toNanos();
            settled.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            await(opened, "the start of the recorded window");
            await(closed, "the end of the recorded window");
            return tally(schedule, connections);
        } finally {
            for (ClientConnection c : connections) {
                if (c.channel() != null) {
                    c.channel().close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                }
            }
            body.release();
        }
    }

    private void open(List<Route> routes, LoadPlan plan, ByteBuf body, List<ClientConnection> connections)
            throws BenchException, InterruptedException {
        List<CompletableFuture<Channel>> pending = new ArrayList<>();
        for (int i = 0; i < plan.connections(); i++) {
            ClientConnection connection = new ClientConnection(i, body);
            connections.add(connection);
            pending.add(connector.open(routes.get(i % routes.size()), ch -> ch.pipeline().addLast("http", new HttpClientCodec())
                    .addLast("aggregate", new HttpObjectAggregator(1 << 20))
                    .addLast("load", connection)));
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(CONNECT_ALL_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            pending.forEach(f -> f.thenAccept(Channel::close));
            Throwable cause = e.getCause();
            if (cause instanceof BenchException b) {
                throw b;
            }
            throw new BenchException("cannot open load connections " + describe(routes) + ": " + cause, cause);
        } catch (TimeoutException e) {
            pending.forEach(f -> f.thenAccept(Channel::close));
            throw new BenchException("opening " + plan.connections() + " connections " + describe(routes) + " took more than "
                    + CONNECT_ALL_SECONDS + "s; is the proxy overloaded or stuck?");
        }
    }

    private static String describe(List<Route> routes) {
        return routes.size() == 1 ? routes.get(0).toString() : routes.get(0) + " and " + (routes.size() - 1) + " more";
    }

    private static void await(ScheduledFuture<?> callback, String what) throws BenchException, InterruptedException {
        try {
            callback.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new BenchException("measuring at " + what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new BenchException("BUG: the callback at " + what + " did not run");
        }
    }

    private static LoadResult tally(OpenLoopSchedule schedule, List<ClientConnection> connections)
            throws BenchException, InterruptedException {
        Histogram merged = new Histogram(1_000, ClientConnection.HIGHEST_NANOS, 3);
        long ok = 0;
        long errors = 0;
        long last = 0;
        List<String> samples = new ArrayList<>();
        for (ClientConnection c : connections) {
            ConnectionTally t;
            try {
                t = c.channel().eventLoop().submit(c::finish).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new BenchException("BUG: cannot collect the results of a load connection: " + e, e);
            }
            merged.add(t.latencies());
            ok += t.measuredOk();
            errors += t.errors();
            last = Math.max(last, t.lastCompletionNanos());
            t.errorSamples().stream().filter(s -> !samples.contains(s) && samples.size() < 8).forEach(samples::add);
        }
        double seconds = (last - schedule.measureStartNanos()) / 1e9;
        double achieved = ok == 0 || seconds <= 0 ? 0 : ok / seconds;
        return new LoadResult(merged, schedule.measuredCount(), ok, errors, achieved, samples);
    }

    @Override
    public void close() {
        control.shutdownNow();
    }
}
