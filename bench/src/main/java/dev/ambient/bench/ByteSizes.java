package dev.ambient.bench;

import java.util.Locale;
import java.util.OptionalLong;

/** Byte counts written as operators write them: {@code 1g}, {@code 256m}, {@code 64k} (binary units) or plain bytes. */
public final class ByteSizes {

    private static final long KIB = 1024;

    private ByteSizes() {}

    /** The size {@code text} names, or empty when it is not a positive size. */
    public static OptionalLong parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
            return OptionalLong.empty();
        }
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'k' -> KIB;
            case 'm' -> KIB * KIB;
            case 'g' -> KIB * KIB * KIB;
            default -> 1;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n <= 0 || n > Long.MAX_VALUE / unit) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(n * unit);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code 1073741824} → {@code 1 GiB}; sizes that are not whole binary units stay in bytes. */
    public static String format(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        long[] sizes = {KIB * KIB * KIB, KIB * KIB, KIB};
        for (int i = 0; i < units.length; i++) {
            if (bytes >= sizes[i] && bytes % sizes[i] == 0) {
                return bytes / sizes[i] + " " + units[i];
            }
        }
        return bytes + " B";
    }
}
