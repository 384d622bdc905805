package dev.ambient.bench.report;

import dev.ambient.bench.Scenario;
import java.util.List;

/**
 * One scenario's single-connection throughput over all rounds.
 *
 * @param megabytesPerSecond median of the successful rounds, decimal MB/s
 * @param ratioToDirect that median over direct's median; NaN for direct or without direct
 * @param okRounds successful transfers
 * @param errors why the others failed
 */
public record BulkSummary(Scenario scenario, double megabytesPerSecond, double ratioToDirect, int okRounds,
        List<String> errors) {

    public static BulkSummary of(BenchReport report, Scenario scenario) {
        double mine = median(report.bulk(scenario));
        double direct = median(report.bulk(Scenario.DIRECT));
        List<BulkRound> rounds = report.bulk(scenario);
        return new BulkSummary(scenario, mine, scenario == Scenario.DIRECT ? Double.NaN : mine / direct,
                (int) rounds.stream().filter(BulkRound::ok).count(),
                rounds.stream().filter(r -> !r.ok()).map(BulkRound::error).distinct().toList());
    }

    private static double median(List<BulkRound> rounds) {
        return Stats.median(rounds.stream().filter(BulkRound::ok).map(BulkRound::megabytesPerSecond).toList());
    }
}
