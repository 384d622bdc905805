package dev.ambient.ztunnel.apiserver;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** What an operator should read when a list or watch on the API server fails. */
final class WatchErrors {

    private WatchErrors() {}

    static String describe(String resource, Throwable t) {
        KubernetesClientException k = find(t);
        if (k == null || k.getCode() == 0) {
            Throwable root = t;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return "cannot reach the API server to list/watch " + resource + " (" + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        }
        return switch (k.getCode()) {
            case 401 -> "the API server does not accept this agent's credentials (401) for " + resource
                    + ": is the service-account token mounted and valid?";
            case 403 -> "RBAC forbids this agent to list/watch " + resource + " (403): grant the verbs get, list and "
                    + "watch on " + resource + " to its service account";
            case 404 -> resource + " is not served by this API server (404): is its CRD installed?";
            default -> "cannot list/watch " + resource + " (HTTP " + k.getCode() + "): " + k.getMessage();
        };
    }

    static boolean notServed(Throwable t) {
        KubernetesClientException k = find(t);
        return k != null && k.getCode() == 404;
    }

    private static KubernetesClientException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof KubernetesClientException k) {
                return k;
            }
        }
        return null;
    }
}
