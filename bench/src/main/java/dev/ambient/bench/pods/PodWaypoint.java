package dev.ambient.bench.pods;

import dev.ambient.bench.pods.PodLayout.Group;
import dev.ambient.bench.pods.PodLayout.Pod;
import dev.ambient.ztunnel.state.Waypoint;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The waypoint of a group's server namespace, declared as a cluster would: a Gateway of class
 * {@code istio-waypoint}, one pod of its own on the server node, the namespace's service of the server
 * pods with its port named {@code http} (so the waypoint reads every request rather than relaying
 * bytes), and an L7 policy on the Gateway that lets the client's identity POST to {@code /echo}, so each
 * request is authorized against a rule that matches rather than waved through by an empty policy set.
 * Client pods call the service; the waypoint picks a server pod per request.
 *
 * @param group the group whose server namespace the waypoint serves
 */
public record PodWaypoint(Group group) {

    /** The Gateway's name, which the namespace's {@code istio.io/use-waypoint} names. */
    public static final String NAME = "waypoint";
    /** The port of the server service; its pods' application listens on {@link PodLayout#APP_PORT}. */
    public static final int SERVICE_PORT = 80;
    /** The server-side slot of the waypoint pod (address .250), past the last server pod a group can have. */
    private static final int POD_SLOT = 248;

    public PodWaypoint {
        Objects.requireNonNull(group, "group");
    }

    /** The waypoint's one pod, on the server node under its own service account. */
    public Pod pod() {
        return new Pod(group.namespace(), NAME + "-0", NAME, group.serverNode(), group.address(2, POD_SLOT));
    }

    /** The cluster IP of the server service, one per group: 10.96.{index}.10. */
    public String serviceIp() {
        return "10.96." + group.index() + ".10";
    }

    /** Where a client pod's application sends its requests. */
    public InetSocketAddress service() {
        return new InetSocketAddress(PodCluster.address(serviceIp()), SERVICE_PORT);
    }

    /** The Gateway, the waypoint's pod, the service and the policy, each a YAML document after {@code ---}. */
    public String yaml() {
        String ns = group.namespace();
        StringBuilder out = new StringBuilder();
        out.append("---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: ").append(NAME)
                .append(", namespace: ").append(ns).append("}\nspec: {gatewayClassName: istio-waypoint, listeners:"
                        + " [{name: mesh, port: 15008, protocol: HBONE}]}\n");
        PodLayout.pod(out, pod(), Waypoint.GATEWAY_NAME_LABEL + ": " + NAME);
        out.append("---\napiVersion: v1\nkind: Service\nmetadata: {name: server, namespace: ").append(ns)
                .append("}\nspec: {clusterIP: ").append(serviceIp()).append(", selector: {app: server}, ports:"
                        + " [{name: http, port: ").append(SERVICE_PORT).append(", targetPort: ")
                .append(PodLayout.APP_PORT).append("}]}\n");
        out.append("---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: clients-echo,"
                + " namespace: ").append(ns).append("}\nspec:\n  targetRefs: [{kind: Gateway, group:"
                        + " gateway.networking.k8s.io, name: ").append(NAME).append("}]\n  action: ALLOW\n"
                        + "  rules: [{from: [{source: {principals: [cluster.local/ns/").append(ns)
                .append("/sa/client]}}], to: [{operation: {methods: [POST], paths: [/echo]}}]}]\n");
        return out.toString();
    }
}
