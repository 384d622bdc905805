package dev.ambient.bench.proxies;

import dev.ambient.ztunnel.config.JvmOptions;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a ztunnel process is started: the same JDK and classpath as the bench, and JVM options like
 * the launcher's ({@code ./mesh ztunnel}), so the measured process is the one an operator runs.
 *
 * @param java the java executable
 * @param jvmOptions options before the main class
 * @param classpath the class path holding {@code dev.ambient.ztunnel.ZtunnelMain}
 */
public record ZtunnelLaunch(Path java, List<String> jvmOptions, String classpath) {

    public static final String MAIN = "dev.ambient.ztunnel.ZtunnelMain";

    public ZtunnelLaunch {
        Objects.requireNonNull(java, "java");
        jvmOptions = List.copyOf(jvmOptions);
        Objects.requireNonNull(classpath, "classpath");
    }

    /** This JVM's java and classpath, the ztunnel's JVM options, and this JVM's logging setup. */
    public static ZtunnelLaunch likeThisJvm() {
        List<String> options = new ArrayList<>(JvmOptions.ztunnel());
        options.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow");
        }
        for (String property : List.of("java.util.logging.config.file", "ambient.transport")) {
            String value = System.getProperty(property);
            if (value != null) {
                options.add("-D" + property + "=" + value);
            }
        }
        return new ZtunnelLaunch(Path.of(System.getProperty("java.home"), "bin", "java"), options,
                System.getProperty("java.class.path"));
    }

    /** The command line of node {@code node}'s ztunnel. */
    public List<String> command(String node, Path meshFile, Path caDir, InetAddress listen, ZtunnelPorts ports) {
        List<String> command = new ArrayList<>(JvmOptions.environmentPrefix());
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, MAIN,
                "--mesh", meshFile.toString(),
                "--node", node,
                "--ca-dir", caDir.toString(),
                "--listen-address", listen.getHostAddress(),
                "--hbone-port", Integer.toString(ports.hbone()),
                "--socks5-port", Integer.toString(ports.socks5()),
                "--admin-port", Integer.toString(ports.admin()),
                "--metrics-port", Integer.toString(ports.metrics()),
                "--readiness-port", Integer.toString(ports.readiness()),
                "--outbound-port", Integer.toString(ports.outbound()),
                "--inbound-port", Integer.toString(ports.inbound()),
                "--drain-timeout", "5s"));
        return command;
    }
}
