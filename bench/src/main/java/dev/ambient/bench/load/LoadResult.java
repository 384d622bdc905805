package dev.ambient.bench.load;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one open-loop run.
 *
 * @param latencies nanoseconds from scheduled send to verified response, recorded requests only
 * @param scheduled requests due in the recorded part
 * @param measuredOk verified responses among them
 * @param errors failed, wrong or missing responses over the whole run, warm-up included
 * @param achievedRate verified recorded responses per second, from the start of recording to the last one
 * @param errorSamples a few distinct error messages
 */
public record LoadResult(Histogram latencies, long scheduled, long measuredOk, long errors, double achievedRate,
        List<String> errorSamples) {

    public LoadResult {
        errorSamples = List.copyOf(errorSamples);
    }

    public LatencySummary summary() {
        return LatencySummary.of(latencies);
    }
}
