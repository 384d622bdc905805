package dev.ambient.ztunnel.kube;

import dev.ambient.ztunnel.authz.AuthorizationPolicyParser;
import dev.ambient.ztunnel.authz.Authorizer;
import dev.ambient.ztunnel.authz.Policy;
import dev.ambient.ztunnel.config.ParseResult;
import dev.ambient.ztunnel.peerauth.PeerAuthentication;
import dev.ambient.ztunnel.peerauth.PeerAuthenticationParser;
import dev.ambient.ztunnel.peerauth.PeerAuthentications;
import dev.ambient.ztunnel.state.MeshNamespace;
import dev.ambient.ztunnel.state.MeshService;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.Waypoint;
import dev.ambient.ztunnel.state.Workload;
import dev.ambient.ztunnel.waypoints.WaypointGatewayParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds a {@link MeshSnapshot} from Kubernetes objects. Each object that cannot be used is rejected
 * alone, with a line naming it; everything else still loads. Local (mesh file) and Kubernetes modes
 * share this one path.
 */
public final class SnapshotBuilder {

    private static final Logger LOG = System.getLogger(SnapshotBuilder.class.getName());
    public static final String AUTHORIZATION_POLICY = "AuthorizationPolicy";

    private final String clusterDomain;
    private final String rootNamespace;
    private final Clock clock;
    private final WorkloadConverter workloads;
    private final ServiceConverter services = new ServiceConverter();
    private final AuthorizationPolicyParser policies;
    private final WaypointGatewayParser gateways = new WaypointGatewayParser();
    private final PeerAuthenticationParser peerAuthParser = new PeerAuthenticationParser();

    public SnapshotBuilder(String trustDomain, String rootNamespace, String clusterDomain, Clock clock) {
        this.clusterDomain = Objects.requireNonNull(clusterDomain, "clusterDomain");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rootNamespace = Objects.requireNonNull(rootNamespace, "rootNamespace");
        this.workloads = new WorkloadConverter(trustDomain);
        this.policies = new AuthorizationPolicyParser(rootNamespace);
    }

    public MeshSnapshot build(long version, KubeObjects objects) {
        List<String> rejected = new ArrayList<>(objects.rejected());
        Map<String, MeshNamespace> namespaces = new LinkedHashMap<>();
        for (Namespace ns : objects.namespaces()) {
            String name = KubeNames.name(ns.getMetadata());
            if (name.isEmpty()) {
                rejected.add("Namespace (unnamed): metadata.name is required");
            } else if (namespaces.putIfAbsent(name, new MeshNamespace(name, KubeNames.labels(ns.getMetadata()))) != null) {
                rejected.add("Namespace " + name + ": declared twice; the first one is used");
            }
        }
        List<Workload> pods = new ArrayList<>();
        Map<InetAddress, String> podIps = new HashMap<>();
        Map<String, Boolean> podKeys = new HashMap<>();
        for (Pod pod : objects.pods()) {
            Converted<Workload> c = workloads.convert(pod, namespaces);
            rejected.addAll(c.errors());
            c.value().ifPresent(w -> {
                String owner = w.hostNetwork() ? null : podIps.putIfAbsent(w.ip(), w.key());
                if (podKeys.putIfAbsent(w.key(), true) != null) {
                    rejected.add("Pod " + w.key() + ": declared twice; the first one is used");
                } else if (owner != null) {
                    rejected.add("Pod " + w.key() + ": status.podIP " + w.ip().getHostAddress()
                            + " is already used by Pod " + owner);
                } else {
                    pods.add(w);
                }
            });
        }
        List<MeshService> svcs = new ArrayList<>();
        Map<InetAddress, String> vips = new HashMap<>();
        for (Service service : objects.services()) {
            Converted<MeshService> c = services.convert(service);
            rejected.addAll(c.errors());
            c.value().ifPresent(s -> {
                String owner = vips.putIfAbsent(s.vip(), s.key());
                if (owner != null) {
                    rejected.add("Service " + s.key() + ": spec.clusterIP " + s.vip().getHostAddress()
                            + " is already used by Service " + owner);
                } else {
                    svcs.add(s);
                }
            });
        }
        List<Policy> authz = new ArrayList<>();
        for (GenericKubernetesResource resource : objects.custom(AUTHORIZATION_POLICY)) {
            ParseResult<Policy> result = policies.parse(resource);
            result.warnings().forEach(w -> LOG.log(Level.WARNING, w));
            if (result.isOk()) {
                authz.add(result.value());
            } else if (!result.isSkipped()) {
                // A rejected DENY policy is not enforced: say so loudly.
                result.errors().forEach(e -> LOG.log(Level.ERROR, "policy not enforced: " + e));
                rejected.addAll(result.errors());
            }
        }
        List<PeerAuthentication> peerAuths = parseAll(objects.custom("PeerAuthentication"), peerAuthParser::parse,
                rejected);
        List<Waypoint> waypoints = parseAll(objects.custom(WaypointGatewayParser.KIND), gateways::parse, rejected);
        // A waypoint's pod runs its own proxy: it speaks HBONE and is never captured, like a sidecar pod.
        pods.replaceAll(w -> waypoints.stream().anyMatch(wp -> wp.runsAs(w)) ? w.withOwnProxy() : w);
        rejected.forEach(r -> LOG.log(Level.WARNING, "rejected " + r));
        return MeshSnapshot.of(version, clock.instant(), clusterDomain, List.copyOf(namespaces.values()), pods, svcs,
                waypoints, waypointConfig(objects), Authorizer.of(rootNamespace, authz), new PeerAuthentications(rootNamespace, peerAuths), rejected);
    }

    private static List<GenericKubernetesResource> waypointConfig(KubeObjects objects) {
        List<GenericKubernetesResource> out = new ArrayList<>(objects.custom("HTTPRoute"));
        out.addAll(objects.custom(AUTHORIZATION_POLICY));
        out.addAll(objects.custom("DestinationRule"));
        return out;
    }

    /** Each resource parsed alone: the good ones, with every other one's errors added to {@code rejected}. */
    private static <T> List<T> parseAll(List<GenericKubernetesResource> resources,
            Function<GenericKubernetesResource, ParseResult<T>> parser, List<String> rejected) {
        List<T> out = new ArrayList<>();
        for (GenericKubernetesResource resource : resources) {
            ParseResult<T> result = parser.apply(resource);
            result.warnings().forEach(w -> LOG.log(Level.WARNING, w));
            if (result.isOk()) {
                out.add(result.value());
            } else if (!result.isSkipped()) {
                rejected.addAll(result.errors());
            }
        }
        return out;
    }
}
