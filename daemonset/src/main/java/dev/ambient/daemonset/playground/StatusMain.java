package dev.ambient.daemonset.playground;

import dev.ambient.sys.Commands;
import dev.ambient.sys.NetNamespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
                String dump = netns.call(() -> get(15000, "/config_dump"));
                String metrics = netns.call(() -> get(15020, "/metrics"));
                System.out.println("node " + node + ":");
                System.out.print(NodeStatus.describe(node, dump, metrics));
            } catch (Exception e) {
                System.out.println("node " + node + ": agent not answering (" + e.getMessage() + ")");
            }
        }
    }

    private static String get(int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            return body < 0 ? "" : response.substring(body + 4);
        }
    }
}
