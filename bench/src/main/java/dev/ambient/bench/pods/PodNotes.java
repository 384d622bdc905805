package dev.ambient.bench.pods;

import dev.ambient.bench.Scenario;
import dev.ambient.bench.report.MachineFacts;
import dev.ambient.bench.report.PodResults;
import java.util.ArrayList;
import java.util.List;

/** What a reader of the pod benchmark's numbers must know to compare them fairly. */
public final class PodNotes {

    private PodNotes() {}

    public static List<String> of(PodResults results, MachineFacts machine) {
        List<String> notes = new ArrayList<>();
        notes.add("Every node is a network namespace on this one machine (" + machine.cores() + " cores): the"
                + " nodes, the load generator and the application servers share its CPUs, so 'node vCPU' is the"
                + " whole machine's busy time per 1000 requests/s, and mesh vCPU is that of the mode's processes.");
        notes.add("Node memory is the sum of PSS (and RSS) of the mode's mesh processes on one node, with their"
                + " descendants: the node agent in ambient, one proxy per pod in the sidecar modes.");
        if (results.scenarios().stream().anyMatch(s -> s == Scenario.HAPROXY_SIDECAR || s == Scenario.NGINX_SIDECAR
                || s == Scenario.NGINX_L7_SIDECAR)) {
            notes.add("The HAProxy and nginx sidecars do the same work per pod (iptables capture, mutual TLS 1.3"
                    + " between pods, certificates from the same CA) with a static upstream per pod, as a control"
                    + " plane would generate; they verify the peer's chain and a DNS name, not its SPIFFE ID,"
                    + " and carry each connection in its own TLS session where ours multiplex over HBONE.");
        }
        if (results.scenarios().contains(Scenario.AMBIENT_WAYPOINT)) {
            notes.add("ambient-waypoint: the client pods call the server namespace's service (port named http), whose"
                    + " waypoint (one pod on the server node) reads each request, authorizes it against an ALLOW"
                    + " policy, routes it to a server pod and tunnels it there; every other mode calls its server"
                    + " pod directly. nginx-l7-sidecar is the L7 pair it is compared with: the client's nginx reads"
                    + " each request and forwards it over kept-alive mutual-TLS connections to the server's nginx.");
        }
        return notes;
    }
}
