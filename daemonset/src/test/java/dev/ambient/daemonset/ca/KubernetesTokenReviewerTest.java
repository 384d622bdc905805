package dev.ambient.daemonset.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The CA's TokenReview against the fabric8 mock API server: who a token is, and on which node. */
@EnableKubernetesMockClient
class KubernetesTokenReviewerTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private static void answer(boolean authenticated, String user, Map<String, List<String>> extra) {
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews")
                .andReturn(201, new TokenReviewBuilder().withNewStatus().withAuthenticated(authenticated)
                        .withNewUser().withUsername(user).withExtra(extra).endUser().endStatus().build())
                .once();
    }

    @Test
    void aPodBoundTokenNamesItsServiceAccountAndNode() {
        answer(true, "system:serviceaccount:ambient-system:ztunnel",
                Map.of(KubernetesTokenReviewer.NODE_NAME, List.of("node-a")));
        assertEquals(Optional.of(new Caller("ambient-system", "ztunnel", Optional.of("node-a"))),
                new KubernetesTokenReviewer(client).review("t"));
    }

    @Test
    void anUnauthenticatedTokenOrAPersonIsNoCaller() {
        answer(false, "", Map.of());
        assertEquals(Optional.empty(), new KubernetesTokenReviewer(client).review("bad"));
        answer(true, "alice@example.com", Map.of());
        assertEquals(Optional.empty(), new KubernetesTokenReviewer(client).review("alice"));
    }
}
