package dev.ambient.ztunnel.state;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * Holds the current {@link MeshSnapshot} and swaps it atomically. Readers take {@link #current()} once
 * per connection; listeners hear of each swap (with the old and the new snapshot) so they can, for
 * example, close connections a new policy denies.
 */
public final class StateStore {

    private final AtomicReference<MeshSnapshot> current;
    private final List<BiConsumer<MeshSnapshot, MeshSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean loaded;

    public StateStore(MeshSnapshot initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    public MeshSnapshot current() {
        return current.get();
    }

    /** Whether a real snapshot (not the initial empty one) has been installed; readiness waits for it. */
    public boolean loaded() {
        return loaded;
    }

    /** Installs {@code next} and tells listeners, in registration order, on the calling thread. */
    public void swap(MeshSnapshot next) {
        Objects.requireNonNull(next, "next");
        MeshSnapshot previous = current.getAndSet(next);
        loaded = true;
        for (BiConsumer<MeshSnapshot, MeshSnapshot> listener : listeners) {
            listener.accept(previous, next);
        }
    }

    public void addListener(BiConsumer<MeshSnapshot, MeshSnapshot> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }
}
