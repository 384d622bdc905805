package dev.ambient.daemonset.process;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another JVM of this project with the same JDK and classpath as the
 * running one, so a test, the demo or the bench can run agents as real processes (in a node's
 * network namespace) without knowing where the build put its jars.
 */
public final class JavaCommand {

    private JavaCommand() {}

    /** {@code java <options> -cp <this classpath> mainClass args...}. */
    public static List<String> of(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.add("--enable-native-access=ALL-UNNAMED");
        String logging = System.getProperty("java.util.logging.config.file");
        if (logging != null) {
            command.add("-Djava.util.logging.config.file=" + logging);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    }

    /** Surefire runs tests from a manifest-only jar; the real classpath is in its own property. */
    static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
