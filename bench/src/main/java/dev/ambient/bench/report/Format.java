package dev.ambient.bench.report;

import java.util.Locale;

/** Number formats shared by the markdown report and the target lines; missing values print as n/a. */
public final class Format {

    private Format() {}

    /** {@code 123 µs}. */
    public static String micros(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.0f µs", value);
    }

    /** {@code +12 µs} or {@code -3 µs}. */
    public static String signedMicros(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%+.0f µs", value);
    }

    /** A bare number with {@code decimals} decimals. */
    public static String number(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** {@code +12} or {@code -3}, no unit. */
    public static String signed(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%+.0f", value);
    }

    /** {@code 57%}. */
    public static String percent(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    /** KiB as {@code 123.4}. MiB. */
    public static String mebibytes(long kib) {
        return kib < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", kib / 1024.0);
    }
}
