package dev.ambient.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fresh random order of the scenarios for every round, so that a noisy minute on a shared
 * machine spreads over all of them instead of always landing on the same one.
 */
public final class Shuffle {

    private Shuffle() {}

    /** A shuffled copy of {@code items} (Fisher-Yates, driven by the run's seeded random). */
    public static <T> List<T> of(List<T> items, SplittableRandom random) {
        List<T> order = new ArrayList<>(items);
        for (int i = order.size() - 1; i > 0; i--) {
            Collections.swap(order, i, random.nextInt(i + 1));
        }
        return order;
    }
}
