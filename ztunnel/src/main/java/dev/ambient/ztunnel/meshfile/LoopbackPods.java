package dev.ambient.ztunnel.meshfile;

import dev.ambient.ztunnel.net.IpLiteral;
import java.net.InetAddress;

/**
 * Two pods on two nodes, played by loopback addresses on one machine: pod {@code demo/client} at
 * 127.0.0.2 on node-a and pod {@code demo/server} at 127.0.0.3 on node-b, in an enrolled namespace.
 * The in-process tests and the benchmark run their ztunnel pairs on this layout.
 */
public final class LoopbackPods {

    public static final InetAddress CLIENT_IP = IpLiteral.parse("127.0.0.2").orElseThrow();
    public static final InetAddress SERVER_IP = IpLiteral.parse("127.0.0.3").orElseThrow();
    public static final String CLIENT_ID = "spiffe://cluster.local/ns/demo/sa/client";
    public static final String SERVER_ID = "spiffe://cluster.local/ns/demo/sa/server";
    /** The VIP of service {@code demo/server}, which forwards port 80 to the app port. */
    public static final String SERVICE_VIP = "10.96.0.10";

    private LoopbackPods() {}

    /** The mesh file of this layout; {@code extra} (more objects) is appended as further documents. */
    public static String meshYaml(int appPort, String extra) {
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
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: server
                  namespace: demo
                spec:
                  clusterIP: %s
                  selector: {app: server}
                  ports:
                  - name: tcp-app
                    port: 80
                    targetPort: %d
                """.formatted(SERVICE_VIP, appPort) + (extra.isEmpty() ? "" : "---\n" + extra);
    }
}
