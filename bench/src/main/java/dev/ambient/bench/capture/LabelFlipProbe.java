package dev.ambient.bench.capture;

import dev.ambient.daemonset.process.AgentEndpoint;
import dev.ambient.bench.BenchException;
import dev.ambient.bench.report.FlipTrial;
import dev.ambient.bench.report.Stats;
import dev.ambient.sys.NetNamespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures how long a label change takes to reach capture: writes {@code flip}'s enrolling label into
 * the mesh file, then opens a new connection from the flip pod every few milliseconds, reading node-a's
 * {@code outbound_new} counter after each, until one is captured; then removes the label until one is
 * not, and waits until the pod has left the mesh entirely (no longer even draining) before the next
 * trial. Connecting and reading strictly alternate, so the captured connection is exactly the one
 * just opened. Every loop is bounded in time.
 */
final class LabelFlipProbe {

    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long SETTLE_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final int SOCKET_BATCH = 32;

    private final CaptureCluster cluster;
    private final NetNamespace pod;
    private final InetSocketAddress target;
    private final Deque<SocketChannel> sockets = new ArrayDeque<>();
    private final List<Double> steps = new ArrayList<>();
    private int failedConnects;

    /** Connections go from {@link CaptureMesh#FLIP_CLIENT} to the application of the pod outside the mesh. */
    LabelFlipProbe(CaptureCluster cluster) {
        this.cluster = cluster;
        this.pod = cluster.pod(CaptureMesh.FLIP_CLIENT);
        this.target = cluster.server(CaptureMesh.PLAIN_SERVER);
    }

    /**
     * Runs {@code trials} trials from a thread inside node-a's namespace (where the agent's metrics
     * port is); the flip namespace must be out of the mesh when called, and is again when it returns.
     */
    List<FlipTrial> run(NetNamespace nodeA, int trials) throws BenchException, InterruptedException {
        try {
            return nodeA.call(() -> {
                List<FlipTrial> out = new ArrayList<>();
                for (int i = 1; i <= trials; i++) {
                    out.add(trial(i));
                }
                return out;
            });
        } catch (BenchException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new BenchException("the label probe failed: " + e.getMessage(), e);
        } finally {
            sockets.forEach(LabelFlipProbe::closeQuietly);
            sockets.clear();
        }
    }

    /** Median time from one probe connection to the next: the resolution of the measured times. */
    double stepMillis() {
        return Stats.median(steps);
    }

    private FlipTrial trial(int n) throws Exception {
        int failedBefore = failedConnects;
        long before = outboundNew();
        long on = cluster.writeMesh(true);
        int tries = 0;
        double onMillis = Double.NaN;
        while (System.nanoTime() - on < BOUND_NANOS) {
            long start = System.nanoTime();
            tries++;
            connectOnce();
            if (outboundNew() > before) {
                onMillis = (start - on) / 1e6;
                break;
            }
            pace(start, STEP_NANOS);
            steps.add((System.nanoTime() - start) / 1e6);
        }
        long captured = outboundNew();
        long off = cluster.writeMesh(false);
        double offMillis = Double.NaN;
        while (System.nanoTime() - off < BOUND_NANOS) {
            long start = System.nanoTime();
            connectOnce();
            long now = outboundNew();
            if (now == captured) {
                offMillis = (start - off) / 1e6;
                break;
            }
            captured = now;
            pace(start, STEP_NANOS);
        }
        String error = settle();
        if (Double.isNaN(onMillis)) {
            error = join("no connection was captured within 10 s of the label change", error);
        }
        if (Double.isNaN(offMillis)) {
            error = join("connections were still captured 10 s after the label was removed", error);
        }
        if (failedConnects > failedBefore) {
            error = join((failedConnects - failedBefore) + " probe connection(s) failed", error);
        }
        return new FlipTrial(n, onMillis, tries, offMillis, error);
    }

    /** Waits until a new connection is neither captured nor draining: the pod is out of the mesh. */
    private String settle() throws Exception {
        long start = System.nanoTime();
        CaptureCounters last = counters();
        while (System.nanoTime() - start < BOUND_NANOS) {
            long step = System.nanoTime();
            connectOnce();
            CaptureCounters now = counters();
            CaptureCounters delta = now.minus(last);
            if (delta.get(CaptureCounters.OUTBOUND_NEW) == 0 && delta.get(CaptureCounters.DRAINING) == 0) {
                return "";
            }
            last = now;
            pace(step, SETTLE_STEP_NANOS);
        }
        return "the pod was still enrolled or draining 10 s after the label was removed";
    }

    private void connectOnce() throws Exception {
        if (sockets.isEmpty()) {
            // Sockets are made in the pod's namespace in batches; this thread stays in node-a's.
            sockets.addAll(pod.call(() -> {
                List<SocketChannel> batch = new ArrayList<>();
                for (int i = 0; i < SOCKET_BATCH; i++) {
                    batch.add(SocketChannel.open());
                }
                return batch;
            }));
        }
        try (SocketChannel channel = sockets.poll()) {
            channel.socket().connect(target, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            failedConnects++;
        }
    }

    private long outboundNew() throws IOException {
        return counters().get(CaptureCounters.OUTBOUND_NEW);
    }

    private static CaptureCounters counters() throws IOException {
        return CaptureCounters.parse(AgentEndpoint.get(NodeAgents.METRICS_PORT, "/metrics"));
    }

    private static void pace(long start, long step) {
        long wait = start + step - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static String join(String a, String b) {
        return b.isEmpty() ? a : a + "; " + b;
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // never connected
        }
    }
}
