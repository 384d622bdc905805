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
        if (results.scenarios().contains(Scenario.HAPROXY_SIDECAR) || results.scenarios().contains(Scenario.NGINX_SIDECAR)) {
            notes.add("The HAProxy and nginx sidecars do the same work per pod (iptables capture, mutual TLS 1.3"
                    + " between pods, certificates from the same CA) with a static upstream per pod, as a control"
                    + " plane would generate; they verify the peer's chain and a DNS name, not its SPIFFE ID,"
                    + " and carry each connection in its own TLS session where ours multiplex over HBONE.");
        }
        notes.add("ambient-waypoint is not measured: this build has no waypoint proxy yet.");
        return notes;
    }
}
