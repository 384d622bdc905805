package dev.ambient.bench.report;

import dev.ambient.bench.proc.ProcMemory;

/**
 * Memory of one proxy process (with its descendants) after the last round.
 *
 * @param role e.g. "node-a", "nginx client"
 */
public record MemoryReading(String role, ProcMemory memory) {}
