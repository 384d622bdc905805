package dev.ambient.daemonset.ca;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks the API server (a {@code TokenReview}) whose service-account token a caller sent. A pod-bound
 * token also names the node its pod runs on, which is what lets a node agent speak for that node's
 * pods. The CA's service account needs {@code create} on {@code tokenreviews}.
 */
public final class KubernetesTokenReviewer implements TokenReviewer {

    static final String NODE_NAME = "authentication.kubernetes.io/node-name";
    private static final String PREFIX = "system:serviceaccount:";

    private final KubernetesClient client;

    public KubernetesTokenReviewer(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Optional<Caller> review(String token) {
        TokenReview review = client.resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build())
                .create();
        TokenReviewStatus status = review.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null) {
            return Optional.empty();
        }
        String user = status.getUser().getUsername();
        if (user == null || !user.startsWith(PREFIX) || user.substring(PREFIX.length()).split(":").length != 2) {
            return Optional.empty(); // a person or a node, not a workload
        }
        String[] nsAndName = user.substring(PREFIX.length()).split(":");
        Map<String, List<String>> extra = status.getUser().getExtra() == null ? Map.of() : status.getUser().getExtra();
        Optional<String> node = Optional.ofNullable(extra.get(NODE_NAME)).filter(v -> !v.isEmpty()).map(v -> v.get(0));
        return Optional.of(new Caller(nsAndName[0], nsAndName[1], node));
    }
}
