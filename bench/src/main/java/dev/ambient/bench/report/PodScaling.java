package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How a mode's node memory grows with the pods on the node. A sidecar brings a proxy per pod, ambient
 * one ztunnel per node whatever the pods, so the slope between the smallest and largest pod count is
 * what tells the modes apart; the memory at one count mostly shows the runtime's fixed cost.
 *
 * @param pssMib node PSS per pod count, ascending (the larger reading if a count was measured twice)
 * @param mibPerAddedPod (PSS at the largest count − PSS at the smallest) / (largest − smallest);
 *     NaN with fewer than two counts
 */
public record PodScaling(Scenario mode, SortedMap<Integer, Double> pssMib, double mibPerAddedPod) {

    public PodScaling {
        pssMib = Collections.unmodifiableSortedMap(new TreeMap<>(pssMib));
    }

    /** The scaling of {@code mode}, empty when it has no scaling points (direct never has). */
    public static Optional<PodScaling> of(PodResults r, Scenario mode) {
        TreeMap<Integer, Double> pss = new TreeMap<>();
        for (ScalingPoint p : r.scaling(mode)) {
            pss.merge(p.pods(), p.memory().pssMib(), Math::max);
        }
        if (pss.isEmpty()) {
            return Optional.empty();
        }
        double perPod = pss.size() < 2 ? Double.NaN
                : (pss.lastEntry().getValue() - pss.firstEntry().getValue()) / (pss.lastKey() - pss.firstKey());
        return Optional.of(new PodScaling(mode, pss, perPod));
    }

    /** The scaling of every measured mode that has scaling points, in report order. */
    public static List<PodScaling> all(PodResults r) {
        return r.scenarios().stream().filter(s -> s != Scenario.POD_DIRECT).map(s -> of(r, s))
                .flatMap(Optional::stream).toList();
    }

    /** The largest pod count measured. */
    public int largest() {
        return pssMib.lastKey();
    }

    /** PSS at {@code pods}, NaN when that count was not measured. */
    public double pssAt(int pods) {
        return pssMib.getOrDefault(pods, Double.NaN);
    }
}
