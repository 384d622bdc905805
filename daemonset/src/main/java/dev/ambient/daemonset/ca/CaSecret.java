package dev.ambient.daemonset.ca;

import dev.ambient.ztunnel.identity.EmbeddedCa;
import dev.ambient.ztunnel.identity.Pem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/**
 * The CA's root kept in a Kubernetes Secret ({@code ca.crt} and {@code ca.key}, PEM): loaded when it
 * exists, created once when it does not. Two CA replicas starting together race on the create; the
 * API server lets one win and the other reads the winner's root. A Secret that holds something
 * unusable stops the CA with the Secret's name, rather than silently replacing a root every workload
 * trusts.
 */
public final class CaSecret {

    private static final Logger LOG = System.getLogger(CaSecret.class.getName());
    static final String CERT = "ca.crt";
    static final String KEY = "ca.key";

    private CaSecret() {}

    public static EmbeddedCa loadOrCreate(KubernetesClient client, String namespace, String name, String trustDomain,
            Clock clock) {
        Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
        if (existing != null) {
            return load(existing, namespace + "/" + name, trustDomain, clock);
        }
        EmbeddedCa created = EmbeddedCa.generate(trustDomain, clock);
        Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withType("Opaque").withData(Map.of(CERT, base64(Pem.encode(created.root())), KEY,
                        base64(created.rootKeyPem()))).build();
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
            LOG.log(Level.INFO, "created the CA root for " + trustDomain + " in Secret " + namespace + "/" + name);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw new IllegalStateException("cannot store the CA root in Secret " + namespace + "/" + name + " ("
                        + (e.getCode() == 403 ? "RBAC forbids create on secrets" : "HTTP " + e.getCode()) + "): "
                        + e.getMessage(), e);
            }
            return load(client.secrets().inNamespace(namespace).withName(name).get(), namespace + "/" + name,
                    trustDomain, clock); // another replica created it first
        }
    }

    /**
     * Publishes the root certificate (never the key) in ConfigMap {@code name}, key
     * {@code root-cert.pem}, which every node agent mounts to know the CA and its peers.
     */
    public static void publishRoot(KubernetesClient client, String namespace, String name, EmbeddedCa ca) {
        ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withData(Map.of("root-cert.pem", Pem.encode(ca.root()))).build();
        client.configMaps().inNamespace(namespace).resource(map).createOr(m -> m.update());
        LOG.log(Level.INFO, "published the CA root in ConfigMap " + namespace + "/" + name);
    }

    private static EmbeddedCa load(Secret secret, String where, String trustDomain, Clock clock) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        if (!data.containsKey(CERT) || !data.containsKey(KEY)) {
            throw new IllegalStateException("Secret " + where + " must hold " + CERT + " and " + KEY
                    + " (PEM); it has " + data.keySet());
        }
        try {
            return EmbeddedCa.fromPem(trustDomain, decode(data.get(CERT)), decode(data.get(KEY)), "Secret " + where,
                    clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Secret " + where + " is not base64 data: " + e.getMessage(), e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String data) {
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }
}
