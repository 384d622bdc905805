package dev.ambient.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Clock ticks per second (USER_HZ), the unit of CPU times in {@code /proc/<pid>/stat}. Asked of
 * {@code getconf CLK_TCK} once; 100 is what Linux uses on every common architecture.
 */
public final class ClockTicks {

    private static final long DEFAULT = 100;

    private ClockTicks() {}

    public static long perSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                long ticks = Long.parseLong(out);
                return ticks > 0 ? ticks : DEFAULT;
            }
            p.destroyForcibly();
        } catch (IOException | NumberFormatException e) {
            // getconf missing or odd: fall back
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT;
    }
}
