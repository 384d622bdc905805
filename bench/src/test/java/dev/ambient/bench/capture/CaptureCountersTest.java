package dev.ambient.bench.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CaptureCountersTest {

    private static final String SCRAPE = """
            # HELP ambient_capture_packets_total packets the capture programs decided on, by decision
            # TYPE ambient_capture_packets_total counter
            ambient_capture_packets_total{decision="outbound_new"} 16.0
            ambient_capture_packets_total{decision="bypass"} 1.4131E4
            ambient_capture_packets_total{decision="no_listener"} 0.0
            # TYPE istio_tcp_connections_opened_total counter
            istio_tcp_connections_opened_total{connection_security_policy="mutual_tls",reporter="destination",x="a"} 10.0
            istio_tcp_connections_opened_total{connection_security_policy="mutual_tls",reporter="destination",x="b"} 6.0
            istio_tcp_connections_opened_total{connection_security_policy="unknown",reporter="destination"} 3.0
            istio_tcp_connections_opened_total{connection_security_policy="mutual_tls",reporter="source"} 99.0
            ambient_capture_packets_total_created{decision="bypass"} 1.7E9
            """;

    @Test
    void readsEveryDecisionAndTheMutualTlsConnectionsAccepted() {
        CaptureCounters c = CaptureCounters.parse(SCRAPE);
        assertEquals(16, c.get(CaptureCounters.OUTBOUND_NEW));
        assertEquals(14_131, c.get(CaptureCounters.BYPASS));
        assertEquals(0, c.get(CaptureCounters.NO_LISTENER));
        assertEquals(0, c.get(CaptureCounters.HBONE_NEW), "absent reads as 0");
        assertEquals(16, c.get(CaptureCounters.MUTUAL_TLS_ACCEPTED), "destination-reported mTLS opens only");
        assertEquals(16, c.newFlows());
    }

    @Test
    void differencesCoverKeysOnEitherSide() {
        CaptureCounters before = CaptureCounters.parse("ambient_capture_packets_total{decision=\"bypass\"} 10\n"
                + "ambient_capture_packets_total{decision=\"draining\"} 2\n");
        CaptureCounters after = CaptureCounters.parse("ambient_capture_packets_total{decision=\"bypass\"} 25\n"
                + "ambient_capture_packets_total{decision=\"outbound_new\"} 1\n");
        CaptureCounters delta = after.minus(before);
        assertEquals(15, delta.get(CaptureCounters.BYPASS));
        assertEquals(1, delta.get(CaptureCounters.OUTBOUND_NEW));
        assertEquals(-2, delta.get(CaptureCounters.DRAINING));
    }

    @Test
    void ignoresWhatIsNotASample() {
        assertEquals(0, CaptureCounters.parse("ambient_capture_packets_total{decision=\"bypass\"} NaNx\nnothing\n")
                .values().size());
    }
}
