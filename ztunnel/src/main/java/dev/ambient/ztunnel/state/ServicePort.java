package dev.ambient.ztunnel.state;

/**
 * A Service port and where it lands on the pods behind it.
 *
 * @param name port name, may be empty
 * @param port the port clients dial on the VIP
 * @param targetPort the pod port, or 0 when {@code targetPortName} names a container port
 * @param targetPortName a container port name, or empty when {@code targetPort} is numeric
 */
public record ServicePort(String name, int port, int targetPort, String targetPortName) {

    public ServicePort {
        name = name == null ? "" : name;
        targetPortName = targetPortName == null ? "" : targetPortName;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1-65535");
        }
    }

    /** The pod port on {@code workload}, or 0 when a named target port is not declared by that pod. */
    public int targetOn(Workload workload) {
        if (targetPortName.isEmpty()) {
            return targetPort == 0 ? port : targetPort;
        }
        return workload.namedPorts().getOrDefault(targetPortName, 0);
    }
}
