package dev.ambient.daemonset.agent;

import dev.ambient.sys.Commands;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the node's own network namespace says about its devices and pod routes. */
final class NodeNetwork {

    private NodeNetwork() {}

    /** The device the node routes {@code podIp} to, when that is a local device (the pod's veth). */
    static Optional<String> deviceFor(InetAddress podIp) {
        String route;
        try {
            route = Commands.run("ip", "-o", "route", "get", podIp.getHostAddress());
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
        if (route.contains(" via ")) {
            return Optional.empty(); // routed to another node: not a pod of this node
        }
        String[] words = route.strip().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("dev")) {
                return Optional.of(words[i + 1]);
            }
        }
        return Optional.empty();
    }

    /** Every device except loopback. */
    static List<String> devices() {
        List<String> names = new ArrayList<>();
        for (String line : Commands.run("ip", "-o", "link", "show").split("\n")) {
            String[] parts = line.split(":\\s+", 3);
            if (parts.length < 2) {
                continue;
            }
            String name = parts[1].split("@", 2)[0].strip();
            if (!name.equals("lo")) {
                names.add(name);
            }
        }
        return names;
    }
}
