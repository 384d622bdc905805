package dev.ambient.bench.pods;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.pods.PodLayout.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * When did each node agent enrol a pod: its log says {@code enrolled <namespace>/<name> (} once the
 * pod's capture is in place. Polls the logs every 20 ms.
 */
final class EnrolmentWatch {

    private static final long POLL_MILLIS = 20;

    private EnrolmentWatch() {}

    /**
     * Milliseconds from {@code sinceNanos} to the poll that first saw each pod enrolled in the log of
     * its node's agent, in the order given.
     *
     * @param logs agent log by node
     * @throws BenchException when a pod is not enrolled within {@code timeout}
     */
    static Map<Pod, Double> await(List<Pod> pods, Map<String, Path> logs, long sinceNanos, Duration timeout)
            throws BenchException, InterruptedException {
        Map<Pod, Double> seen = new LinkedHashMap<>();
        List<Pod> waiting = new ArrayList<>(pods);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, String> text = new LinkedHashMap<>();
            for (Pod pod : List.copyOf(waiting)) {
                String log = text.computeIfAbsent(pod.node(), node -> read(logs.get(node)));
                if (log.contains("enrolled " + pod.key() + " (")) {
                    seen.put(pod, (System.nanoTime() - sinceNanos) / 1e6);
                    waiting.remove(pod);
                }
            }
            if (waiting.isEmpty()) {
                return seen;
            }
            if (System.nanoTime() > deadline) {
                Pod first = waiting.get(0);
                throw new BenchException(waiting.size() + " pod(s) not enrolled within " + timeout.toSeconds()
                        + " s, among them " + first.key() + " on " + first.node() + " (see " + logs.get(first.node()) + ")");
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    private static String read(Path log) {
        if (log == null) {
            return "";
        }
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }
}
