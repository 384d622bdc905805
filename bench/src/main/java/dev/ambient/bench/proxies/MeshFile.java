package dev.ambient.bench.proxies;

/**
 * The mesh file both ztunnels load: namespace {@code demo} enrolled in ambient mode, pod
 * {@code client} (service account client) at 127.0.0.2 on node-a and pod {@code server} (service
 * account server) at 127.0.0.3 on node-b, as in the ztunnel test fixtures. No policies, so every
 * connection is allowed and the measurement is the data path alone.
 */
public final class MeshFile {

    /** The client pod's identity; the nginx client certificate carries the same one. */
    public static final String CLIENT_ID = "spiffe://cluster.local/ns/demo/sa/client";
    /** The server pod's identity. */
    public static final String SERVER_ID = "spiffe://cluster.local/ns/demo/sa/server";

    private MeshFile() {}

    public static String render() {
        return """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: demo
                  labels:
                    istio.io/dataplane-mode: ambient
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: client
                  namespace: demo
                  labels: {app: client}
                spec:
                  serviceAccountName: client
                  nodeName: node-a
                status:
                  podIP: 127.0.0.2
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: server
                  namespace: demo
                  labels: {app: server}
                spec:
                  serviceAccountName: server
                  nodeName: node-b
                status:
                  podIP: 127.0.0.3
                """;
    }
}
