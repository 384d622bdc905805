package dev.ambient.daemonset.sidecar;

import dev.ambient.sys.Commands;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The classic sidecar capture: iptables NAT rules in the pod's own network namespace. Outbound TCP
 * goes to the sidecar's 15001 and inbound TCP to its 15006 (the original destination survives as
 * SO_ORIGINAL_DST). The sidecar's own connections carry a mark, or come from the proxy's own user
 * for proxies that cannot set a mark, and pass, or they would loop; its
 * deliveries to the app come from 127.0.0.6 over loopback and pass; HBONE (15008) and the sidecar's
 * ports are not redirected; probes from the node's addresses reach the app directly, so a sidecar that
 * is not ready yet cannot fail them.
 *
 * @param proxyMark the mark the sidecar sets on its own sockets
 * @param probeSources addresses the kubelet's probes come from (the node), never redirected
 * @param excludeOutboundPorts destination ports left alone on the way out
 * @param excludeInboundPorts pod ports reached directly from outside
 * @param proxyUid the user the proxy runs as, when its connections are exempt by user rather than mark
 */
public record CaptureRules(int proxyMark, List<String> probeSources, List<Integer> excludeOutboundPorts,
        List<Integer> excludeInboundPorts, OptionalInt proxyUid) {

    /** The mark {@code mesh sidecar} sets on its sockets. */
    public static final int DEFAULT_MARK = 0x20000;
    /** Where a pod's kubelet probes come from in the local cluster: the node's end of the pod veth. */
    public static final String LOCAL_PROBE_SOURCE = "169.254.1.1/32";

    public static final String OUTPUT_CHAIN = "AMBIENT_OUTPUT";
    public static final String INBOUND_CHAIN = "AMBIENT_INBOUND";
    /** The sidecar's own ports, reached directly: HBONE, admin, metrics, readiness. */
    static final List<Integer> PROXY_PORTS = List.of(15008, 15000, 15020, 15021);

    public CaptureRules {
        probeSources = List.copyOf(probeSources);
        excludeOutboundPorts = List.copyOf(excludeOutboundPorts);
        excludeInboundPorts = List.copyOf(excludeInboundPorts);
        if (proxyMark == 0) {
            throw new IllegalArgumentException("the proxy mark must not be 0: the sidecar's traffic would loop");
        }
        probeSources.forEach(Objects::requireNonNull);
        Objects.requireNonNull(proxyUid, "proxyUid");
    }

    /** Exempt by mark only, as for {@code mesh sidecar}. */
    public CaptureRules(int proxyMark, List<String> probeSources, List<Integer> excludeOutboundPorts,
            List<Integer> excludeInboundPorts) {
        this(proxyMark, probeSources, excludeOutboundPorts, excludeInboundPorts, OptionalInt.empty());
    }

    /** The rules of a pod in the local cluster, with nothing excluded; {@code proxyUid} as above. */
    public static CaptureRules local(OptionalInt proxyUid) {
        return new CaptureRules(DEFAULT_MARK, List.of(LOCAL_PROBE_SOURCE), List.of(), List.of(), proxyUid);
    }

    /** Installs the rules into the named network namespace, from outside it. */
    public void installIn(String netns) {
        for (List<String> command : commands()) {
            Commands.run(Commands.inNetns(netns, command));
        }
    }

    /** Each rule as the arguments of one {@code iptables} call, in order. */
    public List<List<String>> commands() {
        List<List<String>> out = new ArrayList<>();
        String mark = String.format("0x%x/0x%x", proxyMark, proxyMark);
        out.add(nat("-N", OUTPUT_CHAIN));
        out.add(nat("-A", "OUTPUT", "-p", "tcp", "-j", OUTPUT_CHAIN));
        out.add(nat("-A", OUTPUT_CHAIN, "-m", "mark", "--mark", mark, "-j", "RETURN"));
        proxyUid.ifPresent(uid -> out.add(nat("-A", OUTPUT_CHAIN, "-m", "owner", "--uid-owner", Integer.toString(uid),
                "-j", "RETURN")));
        out.add(nat("-A", OUTPUT_CHAIN, "-o", "lo", "-j", "RETURN"));
        out.add(nat("-A", OUTPUT_CHAIN, "-d", "127.0.0.0/8", "-j", "RETURN"));
        for (int port : excludeOutboundPorts) {
            out.add(nat("-A", OUTPUT_CHAIN, "-p", "tcp", "--dport", Integer.toString(port), "-j", "RETURN"));
        }
        out.add(nat("-A", OUTPUT_CHAIN, "-p", "tcp", "-j", "REDIRECT", "--to-ports", "15001"));
        out.add(nat("-N", INBOUND_CHAIN));
        out.add(nat("-A", "PREROUTING", "-p", "tcp", "-j", INBOUND_CHAIN));
        List<Integer> direct = new ArrayList<>(PROXY_PORTS);
        direct.addAll(excludeInboundPorts);
        for (int port : direct) {
            out.add(nat("-A", INBOUND_CHAIN, "-p", "tcp", "--dport", Integer.toString(port), "-j", "RETURN"));
        }
        for (String source : probeSources) {
            out.add(nat("-A", INBOUND_CHAIN, "-s", source, "-j", "RETURN"));
        }
        out.add(nat("-A", INBOUND_CHAIN, "-p", "tcp", "-j", "REDIRECT", "--to-ports", "15006"));
        return out;
    }

    private static List<String> nat(String... args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "-t", "nat"));
        command.addAll(List.of(args));
        return command;
    }
}
