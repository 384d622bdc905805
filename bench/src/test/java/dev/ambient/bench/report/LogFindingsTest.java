package dev.ambient.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFindingsTest {

    @TempDir
    Path dir;

    @Test
    void pointsAtWarningsAndFailedConnectionsOnly() throws Exception {
        Files.writeString(dir.resolve("ztunnel-node-a.log"), """
                2026-01-01T00:00:00.000Z INFO dev.ambient.ztunnel.Ztunnel starting
                2026-01-01T00:00:01.000Z INFO access src.addr=127.0.0.2:1 direction=outbound bytes_sent=8 duration=1ms
                2026-01-01T00:00:02.000Z INFO access src.addr=127.0.0.2:2 bytes_sent=0 error="NotYetConnectedException"
                2026-01-01T00:00:03.000Z WARNING dev.ambient.ztunnel.hbone.Keepalive peer did not answer
                """);
        Files.writeString(dir.resolve("nginx-server-error.log"), "2026/01/01 00:00:00 [notice] 1#1: start\n");
        List<String> findings = LogFindings.scan(dir);
        assertEquals(1, findings.size(), findings.toString());
        assertTrue(findings.get(0).startsWith("ztunnel-node-a.log has 2 warning/error line(s), first: "), findings.get(0));
        assertTrue(findings.get(0).contains("NotYetConnectedException"));
    }

    @Test
    void nginxErrorsCountNoticesDoNot() {
        assertTrue(LogFindings.isFinding("2026/01/01 00:00:00 [error] 7#7: *1 upstream SSL certificate does not match"));
        assertTrue(LogFindings.isFinding("2026/01/01 00:00:00 [emerg] 7#7: bind() failed"));
        assertFalse(LogFindings.isFinding("2026/01/01 00:00:00 [notice] 7#7: start worker process 8"));
    }
}
