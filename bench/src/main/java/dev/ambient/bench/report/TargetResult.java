package dev.ambient.bench.report;

/**
 * One goal the ztunnel is held to, evaluated on this run's numbers.
 *
 * @param goal what is asked, in words
 * @param verdict the outcome
 * @param numbers the values compared, in words, so a reader can check the verdict
 * @param measured the ztunnel's value (NaN when not evaluated)
 * @param limit what it is compared with: PASS when {@code measured <= limit}, or {@code >=} for throughput
 * @param unit of both
 */
public record TargetResult(String goal, Verdict verdict, String numbers, double measured, double limit, String unit) {

    static TargetResult notEvaluated(String goal, String why, String unit) {
        return new TargetResult(goal, Verdict.NOT_EVALUATED, why, Double.NaN, Double.NaN, unit);
    }

    /** PASS and MISS are measured outcomes; NOT_EVALUATED means a scenario it needs was not measured. */
    public enum Verdict {
        PASS, MISS, NOT_EVALUATED;

        public String label() {
            return this == NOT_EVALUATED ? "NOT EVALUATED" : name();
        }
    }
}
