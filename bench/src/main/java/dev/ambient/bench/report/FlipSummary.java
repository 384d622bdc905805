package dev.ambient.bench.report;

import java.util.List;

/**
 * The time from a label change to capture over all trials. The maximum matters as much as the
 * median: an operator who enrols a namespace expects every new connection after that to be meshed.
 *
 * @param trials trials run
 * @param captured trials in which a connection was captured within the bound
 * @param medianMillis median over the captured trials
 * @param maxMillis maximum over the captured trials
 * @param medianOffMillis median time from removing the label to a connection left alone
 */
public record FlipSummary(int trials, int captured, double medianMillis, double maxMillis, double medianOffMillis) {

    public static FlipSummary of(List<FlipTrial> trials) {
        List<Double> on = trials.stream().filter(FlipTrial::captured).map(FlipTrial::onMillis).toList();
        return new FlipSummary(trials.size(), on.size(), Stats.median(on),
                on.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                Stats.median(trials.stream().map(FlipTrial::offMillis).toList()));
    }

    /** Whether every trial was captured. */
    public boolean complete() {
        return trials > 0 && captured == trials;
    }
}
