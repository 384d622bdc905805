package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;

/**
 * How long a pod waited for the mesh before its traffic was protected: for a sidecar, from starting
 * the proxy process to the proxy being ready (readiness 200, or both listeners accepting for the C
 * proxies); in ambient, from the pod appearing in the workload source to its node agent logging the
 * pod as enrolled.
 *
 * @param pod namespace/name
 * @param batch how many pods were started or enrolled together with this one
 */
public record ReadyTime(Scenario mode, String pod, int batch, double millis) {}
