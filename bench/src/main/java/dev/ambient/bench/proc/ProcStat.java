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
 */
public record ProcStat(long pid, String command, long parentPid, long userTicks, long systemTicks) {

    /** utime + stime: CPU time of every thread of the process, in clock ticks. */
    public long cpuTicks() {
        return userTicks + systemTicks;
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
        if (rest.length < 13) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(line.substring(0, open).trim());
            return Optional.of(new ProcStat(pid, line.substring(open + 1, close), Long.parseLong(rest[1]),
                    Long.parseLong(rest[11]), Long.parseLong(rest[12])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
