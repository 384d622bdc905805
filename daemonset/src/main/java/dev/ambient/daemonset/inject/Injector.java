package dev.ambient.daemonset.inject;

import dev.ambient.daemonset.sidecar.CaptureRules;
import dev.ambient.ztunnel.state.MeshLabels;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Adds sidecar mode to a workload's pod template, as {@code istioctl kube-inject} does: an init
 * container that installs the capture rules and the proxy container, placed first and holding the
 * application until it is ready. The workload's own containers are left exactly as they were.
 */
public final class Injector {

    public static final String INIT_NAME = "ambient-init";
    public static final String PROXY_NAME = "ambient-proxy";

    private final InjectSettings settings;

    public Injector(InjectSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Whether {@code resource} was changed; resources without a pod template are left alone. */
    public boolean inject(HasMetadata resource) {
        Optional<Template> template = template(resource);
        if (template.isEmpty()) {
            return false;
        }
        PodSpec spec = template.get().spec();
        if (spec.getContainers().stream().anyMatch(c -> PROXY_NAME.equals(c.getName()))) {
            return false; // injected already
        }
        ObjectMeta meta = template.get().meta();
        Map<String, String> labels = new HashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.put(MeshLabels.SIDECAR_INJECT, "true");
        meta.setLabels(labels);
        List<Container> init = new ArrayList<>(spec.getInitContainers() == null ? List.of() : spec.getInitContainers());
        init.add(0, initContainer());
        spec.setInitContainers(init);
        List<Container> containers = new ArrayList<>(spec.getContainers());
        containers.add(0, proxyContainer());
        spec.setContainers(containers);
        return true;
    }

    private Container initContainer() {
        return new ContainerBuilder().withName(INIT_NAME).withImage(settings.image())
                .withArgs("sidecar-init", "--mark", String.format("0x%x", CaptureRules.DEFAULT_MARK))
                .withNewSecurityContext().withRunAsUser(0L).withRunAsNonRoot(false)
                .withCapabilities(new Capabilities(List.of("NET_ADMIN", "NET_RAW"), List.of("ALL"))).endSecurityContext()
                .withNewResources().addToRequests("cpu", new Quantity("10m")).addToRequests("memory", new Quantity("32Mi"))
                .addToLimits("cpu", new Quantity("100m")).addToLimits("memory", new Quantity("64Mi")).endResources()
                .build();
    }

    private Container proxyContainer() {
        return new ContainerBuilder().withName(PROXY_NAME).withImage(settings.image())
                .withArgs("sidecar", "--pod", "$(POD_NAMESPACE)/$(POD_NAME)", "--mesh", "/etc/ambient/mesh.yaml",
                        "--ca-dir", "/var/run/ambient/ca")
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
                .addNewPort().withName("hbone").withContainerPort(15008).endPort()
                .addNewPort().withName("metrics").withContainerPort(15020).endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/healthz/ready").withNewPort(15021).endHttpGet()
                .withPeriodSeconds(2).endReadinessProbe()
                // The app starts only once the proxy can carry its traffic (hold until ready).
                .withNewLifecycle().withNewPostStart().withNewExec()
                .withCommand("mesh", "sidecar", "--wait-ready", "120s")
                .endExec().endPostStart().endLifecycle()
                .withNewSecurityContext().withRunAsUser(1337L).withRunAsNonRoot(true).withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .withNewResources()
                .addToRequests("cpu", new Quantity(settings.cpuRequest()))
                .addToRequests("memory", new Quantity(settings.memoryRequest()))
                .addToLimits("cpu", new Quantity(settings.cpuLimit()))
                .addToLimits("memory", new Quantity(settings.memoryLimit()))
                .endResources()
                .build();
    }

    /** A pod's metadata and spec, wherever the resource keeps them. */
    private record Template(ObjectMeta meta, PodSpec spec) {}

    private static Optional<Template> template(HasMetadata resource) {
        if (resource instanceof Pod pod && pod.getSpec() != null) {
            if (pod.getMetadata() == null) {
                pod.setMetadata(new ObjectMeta());
            }
            return Optional.of(new Template(pod.getMetadata(), pod.getSpec()));
        }
        PodTemplateSpec t = switch (resource) {
            case Deployment d -> d.getSpec() == null ? null : d.getSpec().getTemplate();
            case StatefulSet s -> s.getSpec() == null ? null : s.getSpec().getTemplate();
            case DaemonSet d -> d.getSpec() == null ? null : d.getSpec().getTemplate();
            case ReplicaSet r -> r.getSpec() == null ? null : r.getSpec().getTemplate();
            case Job j -> j.getSpec() == null ? null : j.getSpec().getTemplate();
            case CronJob c -> c.getSpec() == null || c.getSpec().getJobTemplate() == null
                    || c.getSpec().getJobTemplate().getSpec() == null ? null
                    : c.getSpec().getJobTemplate().getSpec().getTemplate();
            default -> null;
        };
        if (t == null || t.getSpec() == null) {
            return Optional.empty();
        }
        if (t.getMetadata() == null) {
            t.setMetadata(new ObjectMeta());
        }
        return Optional.of(new Template(t.getMetadata(), t.getSpec()));
    }
}
