package dev.ambient.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the numbers were measured on; shared, noisy machines make the load average worth recording.
 *
 * @param cores processors available to the JVM
 * @param cpuModel from /proc/cpuinfo
 * @param kernel from /proc/sys/kernel/osrelease
 * @param java version and vendor of the bench JVM (the ztunnels use the same)
 * @param transport the Netty transport of the bench's clients and servers
 * @param memTotalMiB physical memory
 * @param loadBefore /proc/loadavg at the start
 * @param loadAfter /proc/loadavg at the end
 * @param nginx nginx version, or why it is absent
 */
public record MachineFacts(int cores, String cpuModel, String kernel, String java, String transport, long memTotalMiB,
        String loadBefore, String loadAfter, String nginx) {

    /** Reads the facts of this machine now. */
    public static MachineFacts collect(String transport, String nginx) {
        String cpu = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        long memKiB = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> l.replaceAll("[^0-9]", "")).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong)
                .findFirst().orElse(0);
        String java = Runtime.version() + " (" + System.getProperty("java.vendor", "?") + ", "
                + System.getProperty("java.vm.name", "?") + ")";
        return new MachineFacts(Runtime.getRuntime().availableProcessors(), cpu, read("/proc/sys/kernel/osrelease").trim(),
                java, transport, memKiB / 1024, loadAverage(), "", nginx);
    }

    /** The same facts with the load average read again, at the end of the run. */
    public MachineFacts withLoadAfter() {
        return new MachineFacts(cores, cpuModel, kernel, java, transport, memTotalMiB, loadBefore, loadAverage(), nginx);
    }

    private static String loadAverage() {
        String[] parts = read("/proc/loadavg").trim().split("\\s+");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "unknown";
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
