package dev.ambient.bench.pods;

import dev.ambient.bench.BenchException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Waits for processes started together to become ready, polling all of them every 20 ms so that each
 * one's time from launch to ready is its own rather than the sum of those awaited before it.
 */
final class ReadyWatch {

    private static final long POLL_MILLIS = 20;

    private ReadyWatch() {}

    /**
     * Returns, per process in the given order, the milliseconds from its launch to the first poll
     * that found it ready.
     *
     * @throws BenchException when one exits or is not ready within {@code timeout}, naming it
     */
    static Map<MeshProcess, Double> await(List<MeshProcess> processes, Duration timeout)
            throws BenchException, InterruptedException {
        Map<MeshProcess, Double> ready = new LinkedHashMap<>();
        List<MeshProcess> waiting = new ArrayList<>(processes);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!waiting.isEmpty()) {
            for (MeshProcess p : List.copyOf(waiting)) {
                if (!p.alive().isAlive()) {
                    throw new BenchException(p.role() + " exited before it was ready: " + p.alive().describeExit());
                }
                if (isReady(p)) {
                    ready.put(p, (System.nanoTime() - p.launchedNanos()) / 1e6);
                    waiting.remove(p);
                }
            }
            if (waiting.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                MeshProcess first = waiting.get(0);
                throw new BenchException(waiting.size() + " process(es) not ready within " + timeout.toSeconds()
                        + " s, among them " + first.role() + ": " + first.alive().describeExit());
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        Map<MeshProcess, Double> ordered = new LinkedHashMap<>();
        processes.forEach(p -> ordered.put(p, ready.get(p)));
        return ordered;
    }

    private static boolean isReady(MeshProcess p) throws InterruptedException {
        try {
            return p.ready().call();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception notYet) {
            return false;
        }
    }
}
