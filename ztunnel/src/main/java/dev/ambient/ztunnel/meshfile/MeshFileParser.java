package dev.ambient.ztunnel.meshfile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ambient.ztunnel.kube.KubeObjects;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a mesh file: multi-document YAML of Kubernetes-shaped objects. Each document is read on its
 * own, so a broken one (bad YAML, wrong field types) is rejected with a line naming it and its place
 * in the file, while every other document still loads.
 */
public final class MeshFileParser {

    /** Kinds the node agent and waypoints read; ztunnel itself does not need them, so they are skipped quietly. */
    private static final Set<String> KNOWN_OTHER_KINDS = Set.of("Gateway", "HTTPRoute", "DestinationRule", "PeerAuthentication",
            "ServiceAccount", "Deployment", "ConfigMap");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** Parses {@code text}; {@code source} names the file in error messages. */
    public KubeObjects parse(String text, String source) {
        List<Namespace> namespaces = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<GenericKubernetesResource> custom = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        List<YamlDocuments.Document> docs = YamlDocuments.split(text);
        for (YamlDocuments.Document doc : docs) {
            String where = source + ":" + doc.line() + " (document " + doc.index() + ")";
            Map<?, ?> tree;
            try {
                Object parsed = yaml.readValue(doc.text(), Object.class);
                if (parsed == null) {
                    continue; // an empty document, e.g. a trailing "---"
                }
                if (!(parsed instanceof Map<?, ?> map)) {
                    rejected.add(where + ": expected a Kubernetes object (a mapping with apiVersion and kind)");
                    continue;
                }
                tree = map;
            } catch (Exception e) {
                rejected.add(where + ": not valid YAML: " + firstLine(e.getMessage()));
                continue;
            }
            String kind = String.valueOf(tree.get("kind"));
            String name = nameOf(tree);
            String what = kind + " " + name + " at " + where;
            if (tree.get("kind") == null || tree.get("apiVersion") == null) {
                rejected.add(where + ": apiVersion and kind are required");
                continue;
            }
            try {
                switch (kind) {
                    case "Namespace" -> namespaces.add(serialization.convertValue(tree, Namespace.class));
                    case "Node" -> nodes.add(serialization.convertValue(tree, Node.class));
                    case "Pod" -> pods.add(serialization.convertValue(tree, Pod.class));
                    case "Service" -> services.add(serialization.convertValue(tree, Service.class));
                    case "List" -> rejected.add(what + ": List objects are not supported; write one document per object");
                    default -> {
                        if (kind.equals("AuthorizationPolicy") || KNOWN_OTHER_KINDS.contains(kind)) {
                            custom.add(serialization.convertValue(tree, GenericKubernetesResource.class));
                        } else {
                            rejected.add(what + ": kind " + kind + " is not used by the mesh");
                        }
                    }
                }
            } catch (RuntimeException e) {
                rejected.add(what + ": " + firstLine(e.getMessage()));
            }
        }
        return new KubeObjects(namespaces, nodes, pods, services, custom, rejected);
    }

    private static String nameOf(Map<?, ?> tree) {
        if (tree.get("metadata") instanceof Map<?, ?> meta) {
            Object ns = meta.get("namespace");
            Object name = meta.get("name");
            return (ns == null ? "" : ns + "/") + (name == null ? "(unnamed)" : name);
        }
        return "(unnamed)";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
