package dev.ambient.bench.proxies;

import dev.ambient.bench.BenchException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Waiting for a started proxy to be usable, bounded in time, and failing with the end of its log
 * when it exits or never becomes ready, since that is where the reason is.
 */
public final class Readiness {

    private static final Duration POLL = Duration.ofMillis(100);

    private Readiness() {}

    /** Waits until {@code url} answers 200. */
    public static void awaitHttpOk(String name, URI url, Process process, Path log, Duration timeout)
            throws BenchException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            checkAlive(name, process, log);
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body().trim();
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new BenchException(name + " was not ready within " + timeout.toSeconds() + "s (" + url + ": " + last
                + "); last log lines from " + log + ":\n" + tail(log));
    }

    /** Waits until something accepts TCP connections on every one of {@code addresses}. */
    public static void awaitListening(String name, List<InetSocketAddress> addresses, Process process, Path log,
            Duration timeout) throws BenchException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (InetSocketAddress address : addresses) {
            while (true) {
                checkAlive(name, process, log);
                try (Socket s = new Socket()) {
                    s.connect(address, 500);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new BenchException(name + " did not listen on " + address + " within "
                                + timeout.toSeconds() + "s; last log lines from " + log + ":\n" + tail(log));
                    }
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    private static void checkAlive(String name, Process process, Path log) throws BenchException {
        if (!process.isAlive()) {
            throw new BenchException(name + " exited with code " + process.exitValue() + " while starting; last log lines"
                    + " from " + log + ":\n" + tail(log));
        }
    }

    /** The last lines of a log, indented, for an error message. */
    public static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()).stream()
                    .map(l -> "    " + l).toList());
        } catch (IOException e) {
            return "    (cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
