package dev.ambient.bench.proxies;

/**
 * A process that carries a scenario's traffic, for CPU and memory accounting.
 *
 * @param role how the report names it ("node-a", "nginx client")
 * @param pid the process we started; its descendants (nginx workers) are counted with it
 */
public record ProxyProcess(String role, long pid) {}
