package dev.ambient.bench.load;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one client connection saw in a run.
 *
 * @param latencies nanoseconds from scheduled send to verified response, recorded requests only
 * @param measuredOk verified responses to recorded requests
 * @param errors requests that failed, were answered wrongly, or got no answer, warm-up included
 * @param lastCompletionNanos when the last recorded request completed (0 if none did)
 * @param errorSamples a few distinct error messages, for the report
 */
record ConnectionTally(Histogram latencies, long measuredOk, long errors, long lastCompletionNanos,
        List<String> errorSamples) {}
