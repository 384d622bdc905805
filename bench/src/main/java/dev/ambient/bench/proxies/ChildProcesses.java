package dev.ambient.bench.proxies;

import dev.ambient.bench.BenchException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Every process the bench starts, so that none outlives it: each is stopped by {@link #stop}, by
 * {@link #close}, or, if the JVM exits another way (Ctrl-C, an uncaught error), by a shutdown hook.
 * Stopping is SIGTERM, a grace period, then SIGKILL; descendants (nginx workers) are stopped too.
 */
public final class ChildProcesses implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(15);

    private final List<Process> live = new CopyOnWriteArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "bench-stop-children");

    public ChildProcesses() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code command} with stdout and stderr appended to {@code log} and no stdin. */
    public Process start(String name, List<String> command, Path log) throws BenchException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        try {
            Process process = builder.start();
            live.add(process);
            return process;
        } catch (IOException e) {
            throw new BenchException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /**
     * SIGTERM, then waits up to 15 s for a clean exit before SIGKILL. Returns the exit code, or -1
     * when the process had to be killed.
     */
    public int stop(Process process) {
        live.remove(process);
        List<ProcessHandle> descendants = process.descendants().toList();
        int code = -1;
        try {
            process.destroy();
            if (process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                code = process.exitValue();
            } else {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle d : descendants) {
            if (d.isAlive()) {
                d.destroy();
                try {
                    d.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    d.destroyForcibly();
                }
            }
        }
        return code;
    }

    private void stopAll() {
        for (Process p : new ArrayList<>(live)) {
            stop(p);
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; it finds nothing left to stop
        }
    }
}
