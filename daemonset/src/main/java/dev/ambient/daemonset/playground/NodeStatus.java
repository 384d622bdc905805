package dev.ambient.daemonset.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ambient.daemonset.process.AgentEndpoint;
import java.io.IOException;

/** Renders one node's status from its agent's /config_dump and /metrics. */
final class NodeStatus {

    private static final String[] DECISIONS = {"outbound_new", "inbound_new", "hbone_new", "established", "bypass",
        "no_listener", "draining"};

    private NodeStatus() {}

    static String describe(String node, String configDump, String metrics) throws IOException {
        StringBuilder out = new StringBuilder();
        JsonNode dump = new ObjectMapper().readTree(configDump);
        for (JsonNode w : dump.path("workloads")) {
            if (!node.equals(w.path("node").asText())) {
                continue;
            }
            out.append(String.format("  %-28s %-15s %-9s %s%n", w.path("namespace").asText() + "/" + w.path("name").asText(),
                    w.path("address").asText(), w.path("protocol").asText().equals("HBONE") ? "enrolled" : "-",
                    w.path("identity").asText()));
        }
        StringBuilder counters = new StringBuilder("  capture:");
        for (String decision : DECISIONS) {
            counters.append(' ').append(decision).append('=').append(AgentEndpoint.captureCounter(metrics, decision));
        }
        out.append(counters).append('\n');
        if (dump.path("rejected").size() > 0) {
            out.append("  rejected from the mesh file:\n");
            dump.path("rejected").forEach(r -> out.append("    ").append(r.asText()).append('\n'));
        }
        return out.toString();
    }
}
