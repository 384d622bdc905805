package dev.ambient.daemonset.inject;

import dev.ambient.ztunnel.config.Flags;
import dev.ambient.ztunnel.meshfile.YamlDocuments;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code mesh inject -f manifest.yaml}: prints the manifest with sidecar mode added to its workloads. */
public final class InjectMain {

    private InjectMain() {}

    public static void main(String[] args) throws IOException {
        // kubectl habit: -f FILE
        args = java.util.Arrays.stream(args).map(a -> a.equals("-f") ? "--f" : a).toArray(String[]::new);
        Flags flags = Flags.parse(args, Set.of("f", "filename", "image", "proxy-cpu", "proxy-memory",
                "proxy-cpu-limit", "proxy-memory-limit"), Set.of("help"));
        String file = flags.get("f").or(() -> flags.get("filename")).orElse("");
        if (flags.bool("help") || file.isEmpty() || !flags.errors().isEmpty()) {
            flags.errors().forEach(e -> System.err.println("mesh inject: " + e));
            System.err.println("usage: mesh inject -f MANIFEST|- [--image IMAGE] [--proxy-cpu 50m] [--proxy-memory 96Mi]"
                    + " [--proxy-cpu-limit 1] [--proxy-memory-limit 256Mi]");
            System.exit(flags.bool("help") ? 0 : 2);
        }
        InjectSettings d = InjectSettings.defaults();
        InjectSettings settings = new InjectSettings(flags.get("image").orElse(d.image()),
                flags.get("proxy-cpu").orElse(d.cpuRequest()), flags.get("proxy-memory").orElse(d.memoryRequest()),
                flags.get("proxy-cpu-limit").orElse(d.cpuLimit()), flags.get("proxy-memory-limit").orElse(d.memoryLimit()));
        String text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(file));
        System.out.print(inject(text, settings));
    }

    /** The manifest with every pod template injected; other documents pass through re-serialized. */
    public static String inject(String manifest, InjectSettings settings) {
        KubernetesSerialization serialization = new KubernetesSerialization();
        Injector injector = new Injector(settings);
        List<String> out = new ArrayList<>();
        for (YamlDocuments.Document doc : YamlDocuments.split(manifest)) {
            Object parsed;
            try {
                parsed = serialization.unmarshal(doc.text());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("document " + doc.index() + " (line " + doc.line()
                        + ") is not a Kubernetes object: " + e.getMessage(), e);
            }
            if (parsed instanceof HasMetadata resource) {
                injector.inject(resource);
                out.add(serialization.asYaml(resource));
            } else {
                out.add(doc.text());
            }
        }
        return String.join("", out.stream().map(d -> d.startsWith("---") ? d : "---\n" + d).toList());
    }
}
