package dev.ambient.ztunnel.kube;

import dev.ambient.ztunnel.net.IpLiteral;
import dev.ambient.ztunnel.state.MeshService;
import dev.ambient.ztunnel.state.ServicePort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a Service into a {@link MeshService}, or into the reasons it cannot be one. */
final class ServiceConverter {

    Converted<MeshService> convert(Service service) {
        String what = "Service " + KubeNames.namespace(service.getMetadata()) + "/" + KubeNames.name(service.getMetadata());
        ServiceSpec spec = service.getSpec();
        List<String> errors = new ArrayList<>();
        String clusterIp = spec == null ? null : spec.getClusterIP();
        Optional<InetAddress> vip = IpLiteral.parse(clusterIp);
        if (clusterIp == null || clusterIp.isBlank() || "None".equals(clusterIp)) {
            errors.add(what + ": spec.clusterIP is required (headless services have no VIP to capture)");
        } else if (vip.isEmpty()) {
            errors.add(what + ": spec.clusterIP \"" + clusterIp + "\" is not an IP address");
        }
        List<ServicePort> ports = new ArrayList<>();
        if (spec != null && spec.getPorts() != null) {
            for (int i = 0; i < spec.getPorts().size(); i++) {
                var port = spec.getPorts().get(i);
                String field = what + ": spec.ports[" + i + "]";
                if (port.getProtocol() != null && !"TCP".equals(port.getProtocol())) {
                    continue; // UDP and SCTP are not proxied; the port simply is not captured.
                }
                if (port.getPort() == null || port.getPort() < 1 || port.getPort() > 65535) {
                    errors.add(field + ".port must be 1-65535, got " + port.getPort());
                    continue;
                }
                IntOrString target = port.getTargetPort();
                int targetPort = 0;
                String targetName = "";
                if (target != null && target.getIntVal() != null) {
                    targetPort = target.getIntVal();
                    if (targetPort < 1 || targetPort > 65535) {
                        errors.add(field + ".targetPort must be 1-65535, got " + targetPort);
                        continue;
                    }
                } else if (target != null && target.getStrVal() != null) {
                    targetName = target.getStrVal();
                }
                ports.add(new ServicePort(port.getName(), port.getPort(), targetPort, targetName));
            }
        }
        if (!errors.isEmpty()) {
            return Converted.rejected(errors);
        }
        Map<String, String> selector = spec.getSelector() == null ? Map.of() : spec.getSelector();
        return Converted.ok(new MeshService(KubeNames.name(service.getMetadata()),
                KubeNames.namespace(service.getMetadata()), vip.orElseThrow(), ports, selector,
                KubeNames.labels(service.getMetadata())));
    }
}
