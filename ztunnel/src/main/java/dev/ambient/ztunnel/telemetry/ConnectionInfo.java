package dev.ambient.ztunnel.telemetry;

import dev.ambient.ztunnel.identity.SpiffeId;
import dev.ambient.ztunnel.state.Workload;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Who talks to whom on one proxied connection, as metrics and the access log report it.
 *
 * @param reporter which side of the mesh this proxy is for the connection
 * @param source the client's address
 * @param sourceWorkload the client workload, when known
 * @param sourceIdentity the identity the client proved (inbound) or that we proved for it (outbound)
 * @param destination the original destination
 * @param destinationWorkload the destination workload, when known
 * @param destinationIdentity the identity the destination proved, when tunnelled
 * @param hboneAddress the HBONE peer dialled, when tunnelled
 * @param destinationService the service hostname addressed, or empty
 * @param mutualTls whether the bytes travel (or travelled) inside mutual TLS
 */
public record ConnectionInfo(
        Reporter reporter,
        InetSocketAddress source,
        Optional<Workload> sourceWorkload,
        Optional<SpiffeId> sourceIdentity,
        InetSocketAddress destination,
        Optional<Workload> destinationWorkload,
        Optional<SpiffeId> destinationIdentity,
        Optional<InetSocketAddress> hboneAddress,
        String destinationService,
        boolean mutualTls) {

    /** Istio's {@code reporter} label. */
    public enum Reporter {
        SOURCE("source"), DESTINATION("destination");

        private final String label;

        Reporter(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public ConnectionInfo {
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        destinationService = destinationService == null ? "" : destinationService;
    }

    public String direction() {
        return reporter == Reporter.SOURCE ? "outbound" : "inbound";
    }
}
