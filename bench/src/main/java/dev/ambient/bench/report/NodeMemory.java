package dev.ambient.bench.report;

/**
 * Memory of a mode's mesh processes on one node: the sum over every such process (with its
 * descendants) of PSS from {@code /proc/PID/smaps_rollup}, so pages that processes share (a JVM's
 * libraries, nginx's workers) are split between them rather than counted again, and of RSS.
 *
 * @param node the node of the local cluster
 * @param processes how many mesh processes were summed (0 for direct)
 */
public record NodeMemory(String node, int processes, double pssMib, double rssMib) {}
