package dev.ambient.ztunnel.telemetry;

import dev.ambient.ztunnel.state.Workload;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One line per connection when it ends, with the fields of ztunnel's access log, as {@code key=value}
 * pairs that log pipelines parse without a schema.
 */
public final class AccessLog {

    private static final Logger LOG = System.getLogger("access");

    private AccessLog() {}

    public static void connection(ConnectionInfo info, long bytesSent, long bytesReceived, Duration duration,
            String error) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        StringBuilder line = new StringBuilder(256);
        line.append("src.addr=").append(addr(info.source()));
        info.sourceWorkload().ifPresent(w -> line.append(" src.workload=").append(w.name())
                .append(" src.namespace=").append(w.namespace()));
        info.sourceIdentity().ifPresent(id -> line.append(" src.identity=\"").append(id).append('"'));
        line.append(" dst.addr=").append(addr(info.destination()));
        info.hboneAddress().ifPresent(h -> line.append(" dst.hbone_addr=").append(addr(h)));
        if (!info.destinationService().isEmpty()) {
            line.append(" dst.service=").append(info.destinationService());
        }
        info.destinationWorkload().map(Workload::name).ifPresent(n -> line.append(" dst.workload=").append(n));
        info.destinationWorkload().map(Workload::namespace).ifPresent(n -> line.append(" dst.namespace=").append(n));
        info.destinationIdentity().ifPresent(id -> line.append(" dst.identity=\"").append(id).append('"'));
        line.append(" direction=").append(info.direction())
                .append(" bytes_sent=").append(bytesSent)
                .append(" bytes_recv=").append(bytesReceived)
                .append(" duration=").append(duration.toMillis()).append("ms");
        if (error != null && !error.isEmpty()) {
            line.append(" error=\"").append(error.replace('"', '\'')).append('"');
        }
        LOG.log(Level.INFO, line.toString());
    }

    private static String addr(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
