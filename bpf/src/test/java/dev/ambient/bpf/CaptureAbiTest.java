package dev.ambient.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The C header and its Java mirror must say the same thing: every #define has its constant. */
class CaptureAbiTest {

    private static final Pattern DEFINE = Pattern.compile("^#define\\s+(\\w+)\\s+(0x[0-9a-fA-F]+|\\d+)", Pattern.MULTILINE);

    @Test
    void everyHeaderConstantIsMirrored() throws Exception {
        String header = Files.readString(Path.of("src/main/c/capture.h"));
        Map<String, Integer> java = new HashMap<>();
        for (Field f : CaptureAbi.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                java.put(f.getName(), f.getInt(null));
            }
        }
        Matcher m = DEFINE.matcher(header);
        int seen = 0;
        while (m.find()) {
            seen++;
            String name = m.group(1);
            int value = Integer.decode(m.group(2));
            assertTrue(java.containsKey(name), name + " from capture.h has no constant in CaptureAbi");
            assertEquals(value, java.get(name), name + " differs between capture.h and CaptureAbi");
        }
        assertTrue(seen >= 12, "parsed only " + seen + " constants from capture.h");
    }

    @Test
    void configLayoutMatchesTheStruct() {
        // listen_addr 4 + three ports 6 + pad 2 + two marks 8 + flags 4, then the cgroup id at offset 24.
        assertEquals(4 + 6 + 2 + 8 + 4 + 8, CaptureAbi.config(CaptureConfig.defaults()).length);
    }
}
