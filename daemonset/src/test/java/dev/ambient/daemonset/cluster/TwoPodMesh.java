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

    private TwoPodMesh() {}
}
