package dev.ambient.daemonset.cluster;

/** The smallest mesh the namespaced tests share: namespace demo enrolled, a client pod on node-a, a server pod on node-b. */
public final class TwoPodMesh {

    public static final String YAML = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: demo, labels: {istio.io/dataplane-mode: ambient}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: demo, labels: {app: client}}
            spec: {serviceAccountName: client, nodeName: node-a}
            status: {podIP: 10.240.1.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: server, namespace: demo, labels: {app: server}}
            spec: {serviceAccountName: server, nodeName: node-b}
            status: {podIP: 10.240.2.2}
            """;

    /**
     * The same pods with waypoint {@code wp} (a Gateway for all traffic) in namespace demo, used by the
     * server pod; the caller adds the waypoint's pod, or lets the local cluster add it.
     */
    public static final String WITH_WAYPOINT = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: demo, labels: {istio.io/dataplane-mode: ambient}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: wp, namespace: demo, labels: {istio.io/waypoint-for: all}}
            spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client, namespace: demo}
            spec: {serviceAccountName: client, nodeName: node-a}
            status: {podIP: 10.240.1.2}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: server, namespace: demo, labels: {istio.io/use-waypoint: wp}}
            spec: {serviceAccountName: server, nodeName: node-b}
            status: {podIP: 10.240.2.2}
            """;

    private TwoPodMesh() {}
}
