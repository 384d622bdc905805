package dev.ambient.daemonset.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.daemonset.incluster.KubernetesSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every manifest parsed with the fabric8 model, and the fields that matter checked: the agent's
 * capabilities, mounts, probe and grace period; selectors that select; least-privilege RBAC; the
 * settings pointing at the CA Service that exists; and every value filled in.
 */
class ManifestsTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Manifests.Values VALUES = new Manifests.Values("mesh", "registry.example/ambient:1.2",
            "corp.example");

    private static List<HasMetadata> parse() {
        return parse(Manifests.render(VALUES));
    }

    private static List<HasMetadata> parse(String text) {
        assertFalse(text.contains("{{"), "every placeholder is filled");
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : text.split("(?m)^---\\s*$")) {
            if (!doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                out.add(SERIALIZATION.unmarshal(doc));
            }
        }
        return out;
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> all, Class<T> type, String name) {
        return all.stream().filter(type::isInstance).map(type::cast).filter(r -> r.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    @Test
    void theAgentDaemonSetHasWhatTheDatapathNeedsAndNoMore() {
        List<HasMetadata> all = parse();
        DaemonSet ds = one(all, DaemonSet.class, "ztunnel");
        assertEquals("mesh", ds.getMetadata().getNamespace());
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        assertEquals(ds.getSpec().getSelector().getMatchLabels(), Map.of("app", "ztunnel"));
        assertTrue(ds.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(ds.getSpec().getSelector().getMatchLabels().entrySet()), "the selector selects the pods");
        assertTrue(pod.getHostNetwork());
        Container agent = pod.getContainers().get(0);
        assertEquals("registry.example/ambient:1.2", agent.getImage());
        assertEquals(List.of("dev.ambient.daemonset.agent.AgentMain", "--kubernetes"), agent.getArgs());
        assertFalse(Boolean.TRUE.equals(agent.getSecurityContext().getPrivileged()));
        assertEquals(List.of("ALL"), agent.getSecurityContext().getCapabilities().getDrop());
        assertEquals(Set.of("BPF", "NET_ADMIN", "NET_RAW", "SYS_ADMIN"),
                Set.copyOf(agent.getSecurityContext().getCapabilities().getAdd()));
        Map<String, String> mounts = agent.getVolumeMounts().stream()
                .collect(Collectors.toMap(VolumeMount::getMountPath, VolumeMount::getName));
        for (String path : List.of("/sys/fs/bpf", "/sys/fs/cgroup", "/host/proc", "/etc/ambient/ca",
                "/var/run/secrets/tokens")) {
            assertTrue(mounts.containsKey(path), path + " is mounted: " + mounts);
        }
        Set<String> volumes = pod.getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
        assertTrue(volumes.containsAll(mounts.values()), "every mount has its volume");
        assertEquals("/healthz/ready", agent.getReadinessProbe().getHttpGet().getPath());
        assertEquals(15021, agent.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertTrue(agent.getResources().getRequests().containsKey("memory")
                && agent.getResources().getLimits().containsKey("memory"));
        ConfigMap settings = one(all, ConfigMap.class, "ambient-settings");
        long drain = java.time.Duration.parse("PT" + settings.getData().get("DRAIN_TIMEOUT").toUpperCase()).toSeconds();
        assertTrue(pod.getTerminationGracePeriodSeconds() > drain, "the kubelet waits out the drain");
        assertEquals("corp.example", settings.getData().get("TRUST_DOMAIN"));
        Map<String, String> env = new HashMap<>(settings.getData());
        agent.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        env.put("NODE_NAME", "node-1");
        assertEquals("spiffe://corp.example/ns/mesh/sa/ambient-ca",
                KubernetesSettings.fromEnvironment(env).caIdentity().toString(), "the agent reads what it is given");
        one(all, ServiceAccount.class, pod.getServiceAccountName());
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getProjected() != null && v.getProjected().getSources()
                .get(0).getServiceAccountToken().getAudience().equals("ambient-ca")), "a token bound to the CA");
    }

    @Test
    void theCaServiceSelectsItsDeploymentAndTheAgentsFindIt() {
        List<HasMetadata> all = parse();
        Deployment ca = one(all, Deployment.class, "ambient-ca");
        Service service = one(all, Service.class, "ambient-ca");
        assertTrue(ca.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                .containsAll(service.getSpec().getSelector().entrySet()), "the Service selects the CA's pods");
        int port = service.getSpec().getPorts().get(0).getPort();
        assertEquals("ambient-ca.mesh.svc:" + port, one(all, ConfigMap.class, "ambient-settings").getData()
                .get("CA_ADDRESS"));
        one(all, ServiceAccount.class, ca.getSpec().getTemplate().getSpec().getServiceAccountName());
        assertTrue(ca.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().contains("--kubernetes"));
    }

    @Test
    void rbacIsLeastPrivilege() {
        List<HasMetadata> all = parse();
        for (PolicyRule rule : one(all, ClusterRole.class, "ambient-mesh-reader").getRules()) {
            assertEquals(Set.of("get", "list", "watch"), Set.copyOf(rule.getVerbs()), "the agents only read");
        }
        for (PolicyRule rule : one(all, ClusterRole.class, "ambient-ca-root-publisher").getRules()) {
            assertEquals(List.of("configmaps"), rule.getResources(), "the CA writes ConfigMaps, nothing else");
            assertFalse(rule.getVerbs().contains("delete") || rule.getVerbs().contains("*"));
        }
        List<PolicyRule> review = one(all, ClusterRole.class, "ambient-ca-tokenreview").getRules();
        assertEquals(List.of("tokenreviews"), review.get(0).getResources());
        assertEquals(List.of("create"), review.get(0).getVerbs());
    }

    @Test
    void aWaypointFindsTheMeshItsCertificateAndItsOwnPods() {
        List<HasMetadata> mesh = parse();
        List<HasMetadata> all = parse(Manifests.renderWaypoint(VALUES, "shop/shop-waypoint"));
        GenericKubernetesResource gateway = SERIALIZATION.convertValue(all.stream()
                .filter(r -> r.getKind().equals("Gateway")).findFirst().orElseThrow(), GenericKubernetesResource.class);
        assertEquals("istio-waypoint", ((Map<?, ?>) gateway.getAdditionalProperties().get("spec"))
                .get("gatewayClassName"));
        Deployment deployment = one(all, Deployment.class, "shop-waypoint");
        assertEquals("shop", deployment.getMetadata().getNamespace());
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()));
        assertEquals(gateway.getMetadata().getName(), podLabels.get("gateway.networking.k8s.io/gateway-name"),
                "its pods carry the label the agents find a waypoint's pods by");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        one(all, ServiceAccount.class, pod.getServiceAccountName());
        ClusterRoleBinding reader = all.stream().filter(ClusterRoleBinding.class::isInstance)
                .map(ClusterRoleBinding.class::cast).findFirst().orElseThrow();
        one(mesh, ClusterRole.class, reader.getRoleRef().getName());
        assertEquals(pod.getServiceAccountName(), reader.getSubjects().get(0).getName());
        Container waypoint = pod.getContainers().get(0);
        assertEquals(List.of("dev.ambient.daemonset.waypoint.WaypointMain", "--kubernetes"), waypoint.getArgs());
        assertTrue(waypoint.getSecurityContext().getRunAsNonRoot());
        assertEquals(List.of("ALL"), waypoint.getSecurityContext().getCapabilities().getDrop());
        assertEquals(15021, waypoint.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getConfigMap() != null
                && v.getConfigMap().getName().equals("ambient-ca-root")), "the root the CA publishes in its namespace");

        Map<String, String> env = new HashMap<>(Map.of("NODE_NAME", "node-1", "POD_NAME", "shop-waypoint-7c9f",
                "POD_NAMESPACE", "shop"));
        waypoint.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        KubernetesSettings settings = KubernetesSettings.fromEnvironment(env);
        assertEquals("shop/shop-waypoint-7c9f", settings.requirePod());
        Service ca = one(mesh, Service.class, "ambient-ca");
        assertEquals("ambient-ca.mesh.svc:" + ca.getSpec().getPorts().get(0).getPort(), settings.caAddress());
        assertEquals("spiffe://corp.example/ns/mesh/sa/" + one(mesh, Deployment.class, "ambient-ca").getSpec()
                .getTemplate().getSpec().getServiceAccountName(), settings.caIdentity().toString());
        assertTrue(pod.getTerminationGracePeriodSeconds() > settings.drain().toSeconds());
        assertTrue(Set.of("NODE_NAME", "POD_NAME", "POD_NAMESPACE").stream().allMatch(name -> waypoint.getEnv()
                .stream().anyMatch(e -> e.getName().equals(name) && e.getValueFrom().getFieldRef() != null)),
                "the downward API gives the node and the pod");
    }

    @Test
    void valuesThatWouldBreakTheYamlAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Manifests.render(new Manifests.Values("Mesh System",
                "x", "cluster.local")));
        assertEquals(2, Manifests.problems(new Manifests.Values("ok", "bad image\nkind: Secret", "a b")).size());
        assertEquals(1, Manifests.waypointProblems(VALUES, "shop").size());
        assertThrows(IllegalArgumentException.class, () -> Manifests.renderWaypoint(VALUES, "shop/Way Point"));
    }
}
