package dev.ambient.sys;

/** A loaded BPF program; its file descriptor stays valid while its {@link BpfObject} is open. */
public record BpfProgram(String name, int fd) {}
