package dev.ambient.bench.proxies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.bench.LoopbackHosts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZtunnelLaunchTest {

    @Test
    void passesEveryPortTheSameCaAndTheNodeAddress() {
        ZtunnelLaunch launch = new ZtunnelLaunch(Path.of("/jdk/bin/java"), List.of("-Xmx256m"), "a.jar:b.jar");
        ZtunnelPorts ports = new ZtunnelPorts(15008, 20080, 20000, 20020, 20021, 20001, 20006);
        List<String> cmd = launch.command("node-b", Path.of("/w/mesh.yaml"), Path.of("/w/ca"), LoopbackHosts.SERVER,
                ports);
        assertEquals(List.of("env", "MALLOC_ARENA_MAX=2", "/jdk/bin/java", "-Xmx256m", "-cp", "a.jar:b.jar",
                ZtunnelLaunch.MAIN), cmd.subList(0, 7), "the ztunnel's environment, then the JVM");
        String line = String.join(" ", cmd);
        for (String expected : List.of("--mesh /w/mesh.yaml", "--node node-b", "--ca-dir /w/ca",
                "--listen-address 127.0.0.3", "--hbone-port 15008", "--socks5-port 20080", "--admin-port 20000",
                "--metrics-port 20020", "--readiness-port 20021", "--outbound-port 20001", "--inbound-port 20006")) {
            assertTrue(line.contains(expected), expected + " missing from " + line);
        }
    }

    @Test
    void thisJvmsLaunchUsesTheLaunchersMemorySettings() {
        ZtunnelLaunch launch = ZtunnelLaunch.likeThisJvm();
        assertTrue(launch.jvmOptions().containsAll(List.of("-XX:+UseSerialGC", "-Xmx256m",
                "-XX:MaxDirectMemorySize=256m", "--enable-native-access=ALL-UNNAMED")), launch.jvmOptions().toString());
        assertTrue(launch.java().endsWith(Path.of("bin", "java")));
        assertEquals(System.getProperty("java.class.path"), launch.classpath());
    }
}
