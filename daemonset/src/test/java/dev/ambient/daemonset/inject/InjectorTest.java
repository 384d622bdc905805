package dev.ambient.daemonset.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import dev.ambient.ztunnel.meshfile.YamlDocuments;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code mesh inject} output parses with the fabric8 model and leaves the original containers untouched. */
class InjectorTest {

    private static final String MANIFEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: shop, namespace: web}
            spec:
              selector: {matchLabels: {app: shop}}
              template:
                metadata: {labels: {app: shop}}
                spec:
                  initContainers:
                  - {name: migrate, image: shop:1, command: [./migrate]}
                  containers:
                  - name: app
                    image: shop:1
                    ports: [{containerPort: 8080}]
                    env: [{name: MODE, value: prod}]
                    resources: {requests: {cpu: 200m}}
                  - {name: log, image: fluent:2}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: shop, namespace: web}
            spec: {selector: {app: shop}, ports: [{port: 80, targetPort: 8080}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: one, namespace: web}
            spec: {containers: [{name: c, image: busybox}]}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly, namespace: web}
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers: [{name: job, image: job:1}]
            """;

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void podTemplatesGetTheProxyAndTheirOwnContainersStayAsTheyWere() {
        List<HasMetadata> before = parse(MANIFEST);
        List<HasMetadata> after = parse(InjectMain.inject(MANIFEST, InjectSettings.defaults()));
        assertEquals(4, after.size());

        PodSpec original = ((Deployment) before.get(0)).getSpec().getTemplate().getSpec();
        PodSpec injected = ((Deployment) after.get(0)).getSpec().getTemplate().getSpec();
        assertEquals(Injector.PROXY_NAME, injected.getContainers().get(0).getName(), "the proxy starts first");
        assertEquals(original.getContainers(), injected.getContainers().subList(1, injected.getContainers().size()),
                "the workload's containers are untouched");
        assertEquals(Injector.INIT_NAME, injected.getInitContainers().get(0).getName(), "capture before anything runs");
        assertEquals(original.getInitContainers(), injected.getInitContainers().subList(1, 2));
        assertEquals("true", ((Deployment) after.get(0)).getSpec().getTemplate().getMetadata().getLabels()
                .get("sidecar.istio.io/inject"));
        Container proxy = injected.getContainers().get(0);
        assertEquals("96Mi", proxy.getResources().getRequests().get("memory").toString());
        assertEquals("256Mi", proxy.getResources().getLimits().get("memory").toString());
        assertEquals(15021, proxy.getReadinessProbe().getHttpGet().getPort().getIntVal());
        assertTrue(injected.getInitContainers().get(0).getSecurityContext().getCapabilities().getAdd().contains("NET_ADMIN"));

        assertEquals(before.get(1), after.get(1), "a Service has no pods: unchanged");
        assertEquals(Injector.PROXY_NAME, ((Pod) after.get(2)).getSpec().getContainers().get(0).getName());
        assertEquals(Injector.PROXY_NAME, ((CronJob) after.get(3)).getSpec().getJobTemplate().getSpec().getTemplate()
                .getSpec().getContainers().get(0).getName());
        assertTrue(after.get(1) instanceof Service);
    }

    @Test
    void injectingTwiceChangesNothing() {
        String once = InjectMain.inject(MANIFEST, InjectSettings.defaults());
        String twice = InjectMain.inject(once, InjectSettings.defaults());
        assertEquals(parse(once), parse(twice));
        assertFalse(twice.contains(Injector.PROXY_NAME + "\n  - name: " + Injector.PROXY_NAME));
    }

    private List<HasMetadata> parse(String yaml) {
        return YamlDocuments.split(yaml).stream().map(d -> (HasMetadata) serialization.unmarshal(d.text())).toList();
    }
}
