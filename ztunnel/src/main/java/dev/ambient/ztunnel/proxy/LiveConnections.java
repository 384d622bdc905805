package dev.ambient.ztunnel.proxy;

import dev.ambient.ztunnel.relay.Relay;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.telemetry.ConnectionInfo;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every connection the proxy is relaying right now. Inbound connections carry a re-check so that a
 * policy change closes connections the new policy denies (not only new ones); drain waits on the
 * count and forces what is left at its deadline.
 */
public final class LiveConnections {

    private static final Logger LOG = System.getLogger(LiveConnections.class.getName());

    /** Re-evaluates a live connection against a new snapshot; a reason means it is now denied. */
    @FunctionalInterface
    public interface Recheck {
        Optional<String> deniedBy(MeshSnapshot snapshot);
    }

    /** One live connection. */
    public record Entry(ConnectionInfo info, Relay relay, Optional<Recheck> recheck) {}

    private final Set<Entry> entries = ConcurrentHashMap.newKeySet();

    void add(Entry entry) {
        entries.add(entry);
    }

    void remove(Entry entry) {
        entries.remove(entry);
    }

    public int size() {
        return entries.size();
    }

    /** Closes every live connection that {@code snapshot} no longer allows; returns how many. */
    public int recheck(MeshSnapshot snapshot) {
        int closed = 0;
        for (Entry entry : entries) {
            if (entry.recheck().isEmpty()) {
                continue;
            }
            Optional<String> denied = entry.recheck().get().deniedBy(snapshot);
            if (denied.isPresent()) {
                closed++;
                LOG.log(Level.INFO, "closing live connection " + entry.info().source() + " -> "
                        + entry.info().destination() + ": " + denied.get());
                entry.relay().abort(new ProxyException(ProxyException.Reason.DENIED,
                        "closed by policy change: " + denied.get()));
            }
        }
        return closed;
    }

    /** Ends every live connection now, at the end of a drain. */
    public void abortAll(String why) {
        for (Entry entry : entries) {
            entry.relay().abort(new ProxyException(ProxyException.Reason.UNREACHABLE, why));
        }
    }
}
