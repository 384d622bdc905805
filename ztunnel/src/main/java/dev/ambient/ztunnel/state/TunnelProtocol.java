package dev.ambient.ztunnel.state;

/** How traffic to a workload travels: inside HBONE when the workload is in the mesh, else as plain TCP. */
public enum TunnelProtocol {
    /** Enrolled in the mesh: reached only through HBONE (mutual TLS) on port 15008. */
    HBONE,
    /** Outside the mesh: reached directly, as it would be without a mesh. */
    NONE
}
