package dev.ambient.daemonset.playground;

import dev.ambient.daemonset.process.AgentEndpoint;
import dev.ambient.sys.Commands;
import dev.ambient.sys.NetNamespace;
import java.util.List;

/** {@code mesh status}: each playground node's workloads, enrolment and capture counters, from its agent. */
public final class StatusMain {

    private StatusMain() {}

    public static void main(String[] args) throws Exception {
        Playground.requireRoot("mesh status");
        String prefix = "am-" + UpMain.ID + "-";
        List<String> nodes = Commands.run("ip", "netns", "list").lines().map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(prefix) && !n.startsWith(prefix + "p-") && !n.endsWith("-fabric")).sorted()
                .toList();
        if (nodes.isEmpty()) {
            System.out.println("no playground is up (start one with ./mesh up --mesh FILE)");
            return;
        }
        for (String ns : nodes) {
            String node = ns.substring(prefix.length());
            try (NetNamespace netns = NetNamespace.named(ns)) {
                String dump = netns.call(() -> AgentEndpoint.get(15000, "/config_dump"));
                String metrics = netns.call(() -> AgentEndpoint.get(15020, "/metrics"));
                System.out.println("node " + node + ":");
                System.out.print(NodeStatus.describe(node, dump, metrics));
            } catch (Exception e) {
                System.out.println("node " + node + ": agent not answering (" + e.getMessage() + ")");
            }
        }
    }
}
