package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;

/**
 * A mode's node memory with {@code pods} pods on the node, each of which had served requests
 * through the mesh just before.
 */
public record ScalingPoint(Scenario mode, int pods, NodeMemory memory) {}
