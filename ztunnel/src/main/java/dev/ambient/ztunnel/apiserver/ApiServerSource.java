package dev.ambient.ztunnel.apiserver;

import dev.ambient.ztunnel.kube.KubeObjects;
import dev.ambient.ztunnel.kube.SnapshotBuilder;
import dev.ambient.ztunnel.state.MeshSnapshot;
import dev.ambient.ztunnel.state.StateStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Feeds a {@link StateStore} from the Kubernetes API server, as {@code MeshFileSource} does from a
 * file: informers on Namespaces, Pods, Services and the mesh's custom resources keep a local copy of
 * the cluster, and every change (gathered for {@code settle}) becomes one {@link KubeObjects} for the
 * same {@link SnapshotBuilder}. The first snapshot is built once the core kinds are listed, so a node
 * is never half enrolled; until then the store stays unloaded and the proxy unready. A failed watch
 * is retried with the client's backoff while the last state stays in force; a custom kind the server
 * does not serve (CRD not installed) is read as empty.
 */
public final class ApiServerSource implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ApiServerSource.class.getName());

    private final KubernetesClient client;
    private final SnapshotBuilder builder;
    private final StateStore store;
    private final ScheduledExecutorService scheduler;
    private final Duration settle;
    private final Map<String, SharedIndexInformer<?>> informers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> down = new ConcurrentHashMap<>();
    private final Map<CustomKind, SharedIndexInformer<GenericKubernetesResource>> custom = new ConcurrentHashMap<>();
    private SharedIndexInformer<Namespace> namespaces;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Service> services;
    private ScheduledFuture<?> pending;
    private ScheduledFuture<?> health;
    private volatile boolean synced;
    private volatile long version;

    public ApiServerSource(KubernetesClient client, SnapshotBuilder builder, StateStore store,
            ScheduledExecutorService scheduler, Duration settle) {
        this.client = client;
        this.builder = builder;
        this.store = store;
        this.scheduler = scheduler;
        this.settle = settle;
    }

    /**
     * Starts the informers; the returned future completes when the first snapshot is in the store. It
     * does not fail: an unreachable or forbidding API server is logged and retried.
     */
    public CompletableFuture<Void> start() {
        namespaces = watch("namespaces", client.namespaces().runnableInformer(0));
        pods = watch("pods", client.pods().inAnyNamespace().runnableInformer(0));
        services = watch("services", client.services().inAnyNamespace().runnableInformer(0));
        List<CompletableFuture<?>> core = new ArrayList<>();
        for (SharedIndexInformer<?> i : List.of(namespaces, pods, services)) {
            core.add(i.start().toCompletableFuture());
        }
        List<CompletableFuture<?>> optional = new ArrayList<>();
        for (CustomKind kind : CustomKind.MESH) {
            SharedIndexInformer<GenericKubernetesResource> i = client.genericKubernetesResources(kind.context())
                    .inAnyNamespace().runnableInformer(0);
            i.exceptionHandler((started, t) -> {
                if (!started && WatchErrors.notServed(t)) {
                    LOG.log(Level.WARNING, WatchErrors.describe(kind.toString(), t) + " No " + kind.kind()
                            + " will be read.");
                    return false;
                }
                LOG.log(Level.WARNING, WatchErrors.describe(kind.toString(), t) + "; retrying");
                return true;
            });
            i.addEventHandler(changes());
            custom.put(kind, i);
            informers.put(kind.toString(), i);
            optional.add(i.start().toCompletableFuture().exceptionally(t -> null));
        }
        core.addAll(optional);
        return CompletableFuture.allOf(core.toArray(CompletableFuture[]::new)).thenRun(() -> {
            synced = true;
            rebuild();
            synchronized (this) {
                health = scheduler.scheduleWithFixedDelay(this::checkWatches, 1, 1, TimeUnit.SECONDS);
            }
        });
    }

    /**
     * Exports the source's health for alerts: {@code ambient_apiserver_watch_up{resource}} is 1 while
     * that watch is established and 0 while it reconnects; {@code ambient_apiserver_state_version}
     * counts the snapshots built (it stays still while the state is stale). Call after {@link #start}.
     */
    public void bindMetrics(MeterRegistry registry) {
        informers.forEach((resource, informer) -> Gauge.builder("ambient_apiserver_watch_up", informer,
                i -> i.isWatching() ? 1 : 0).tag("resource", resource)
                .description("1 while the watch on this resource is established").register(registry));
        Gauge.builder("ambient_apiserver_state_version", this, s -> s.version)
                .description("snapshots built from the API server").register(registry);
    }

    /**
     * Says when a watch breaks and when it is back. The client reconnects a broken watch by itself and
     * quietly, so without this an operator would not learn that the node runs on old state.
     */
    private void checkWatches() {
        informers.forEach((resource, informer) -> {
            if (!informer.isRunning()) {
                return; // a custom kind the server does not serve
            }
            boolean watching = informer.isWatching();
            Boolean wasDown = down.put(resource, !watching);
            if (!watching && !Boolean.TRUE.equals(wasDown)) {
                LOG.log(Level.WARNING, "the watch on " + resource + " is broken; reconnecting, the last known state "
                        + "stays in force");
            } else if (watching && Boolean.TRUE.equals(wasDown)) {
                LOG.log(Level.INFO, "the watch on " + resource + " is back");
            }
        });
    }

    private <T extends HasMetadata> SharedIndexInformer<T> watch(String resource, SharedIndexInformer<T> informer) {
        informer.exceptionHandler((started, t) -> {
            LOG.log(Level.WARNING, WatchErrors.describe(resource, t) + (synced
                    ? "; retrying, the last known state stays in force"
                    : "; retrying, and not ready until everything has been listed"));
            return true;
        });
        informer.addEventHandler(changes());
        informers.put(resource, informer);
        return informer;
    }

    private <T> ResourceEventHandler<T> changes() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (oldObj != newObj) {
                    changed();
                }
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed();
            }
        };
    }

    /** Gathers changes that come together (a rollout, a resync) into one snapshot. */
    private synchronized void changed() {
        if (synced && (pending == null || pending.isDone())) {
            pending = scheduler.schedule(this::rebuild, settle.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void rebuild() {
        List<GenericKubernetesResource> resources = new ArrayList<>();
        custom.forEach((kind, informer) -> informer.getStore().list().forEach(r -> resources.add(typed(kind, r))));
        KubeObjects objects = new KubeObjects(namespaces.getStore().list(), List.of(), pods.getStore().list(),
                services.getStore().list(), resources, List.of());
        MeshSnapshot snapshot = builder.build(++version, objects);
        store.swap(snapshot);
        LOG.log(Level.INFO, "API server state version " + version + ": " + snapshot.workloads().size()
                + " workloads, " + snapshot.services().size() + " services, " + snapshot.policies().size()
                + " policies, " + snapshot.rejected().size() + " rejected");
    }

    /** A copy naming its kind: list responses leave it off their items. */
    private static GenericKubernetesResource typed(CustomKind kind, GenericKubernetesResource r) {
        GenericKubernetesResource copy = new GenericKubernetesResource();
        copy.setApiVersion(kind.apiVersion());
        copy.setKind(kind.kind());
        copy.setMetadata(r.getMetadata());
        copy.setAdditionalProperties(r.getAdditionalProperties());
        return copy;
    }

    @Override
    public synchronized void close() {
        if (pending != null) {
            pending.cancel(false);
        }
        if (health != null) {
            health.cancel(false);
        }
        informers.values().forEach(SharedIndexInformer::close);
    }
}
