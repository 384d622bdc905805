package dev.ambient.bench.proc;

import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} the bench needs. The command name (field 2) is in
 * parentheses and may itself contain spaces and parentheses, so fields are counted from the last
 * closing parenthesis, as proc(5) advises.
 *
 * @param pid field 1
 * @param command field 2, without the parentheses
 * @param parentPid field 4
 * @param userTicks field 14, utime, in clock ticks
 * @param systemTicks field 15, stime, in clock ticks
 * @param childUserTicks field 16, cutime: user time of children the process has waited for
 * @param childSystemTicks field 17, cstime: the same in the kernel
 */
public record ProcStat(long pid, String command, long parentPid, long userTicks, long systemTicks,
        long childUserTicks, long childSystemTicks) {

    /** utime + stime: CPU time of every thread of the process, in clock ticks. */
    public long cpuTicks() {
        return userTicks + systemTicks;
    }

    /**
     * cpuTicks plus the CPU time of children that have exited and were waited for: what the process
     * spent including the short-lived commands it ran (the node agent runs {@code ip} every second),
     * which no sample of its live descendants would ever see.
     */
    public long cpuTicksWithReapedChildren() {
        return cpuTicks() + childUserTicks + childSystemTicks;
    }

    /** Parses one stat line, or empty when it is not one. */
    public static Optional<ProcStat> parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 1 || close < open) {
            return Optional.empty();
        }
        String[] rest = line.substring(close + 1).trim().split("\\s+");
        // rest[0] is field 3 (state), so field n is rest[n - 3].
        if (rest.length < 15) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(line.substring(0, open).trim());
            return Optional.of(new ProcStat(pid, line.substring(open + 1, close), Long.parseLong(rest[1]),
                    Long.parseLong(rest[11]), Long.parseLong(rest[12]), Long.parseLong(rest[13]),
                    Long.parseLong(rest[14])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
