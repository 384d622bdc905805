package dev.ambient.ztunnel.identity;

import static dev.ambient.ztunnel.identity.TestCertificates.ALICE;
import static dev.ambient.ztunnel.identity.TestCertificates.BOB;
import static dev.ambient.ztunnel.identity.TestCertificates.NOW;
import static dev.ambient.ztunnel.identity.TestCertificates.TRUST_DOMAIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ambient.ztunnel.testing.LogCapture;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CertificateManagerTest {

    private final FakeClock clock = new FakeClock(NOW);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final FakeCaClient ca = new FakeCaClient(EmbeddedCa.generate(TRUST_DOMAIN, clock));
    private final CertificateManager manager = new CertificateManager(ca, scheduler, clock, Duration.ofHours(24));
    private final List<WorkloadCertificate> notified = Collections.synchronizedList(new ArrayList<>());
    private final LogCapture log = LogCapture.of(CertificateManager.class);

    CertificateManagerTest() {
        manager.addListener(notified::add);
    }

    @AfterEach
    void tearDown() {
        log.close();
        manager.close();
    }

    /** Requests a certificate and runs the fetch the manager schedules for it. */
    private WorkloadCertificate fetch(CertificateManager certificates, SpiffeId identity) {
        CompletableFuture<WorkloadCertificate> request = certificates.certificate(identity);
        scheduler.runDue();
        return request.join();
    }

    private CompletableFuture<WorkloadCertificate> request(SpiffeId identity) {
        CompletableFuture<WorkloadCertificate> request = manager.certificate(identity);
        scheduler.runDue();
        return request;
    }

    @Test
    void fetchesOnFirstUseThenServesTheSameCertificate() {
        CompletableFuture<WorkloadCertificate> request = manager.certificate(ALICE);
        assertFalse(request.isDone(), "the fetch runs on the scheduler, not on the caller");
        scheduler.runDue();
        WorkloadCertificate certificate = request.join();

        assertEquals(ALICE, certificate.identity());
        assertEquals(List.of(ca.ca().root()), certificate.roots());
        assertEquals(1, certificate.chain().size(), "the root is not part of the presented chain");
        assertEquals(NOW.plus(Duration.ofHours(24)), certificate.notAfter());
        assertSame(certificate, manager.certificate(ALICE).join());
        assertEquals(1, ca.calls());
        assertEquals(Optional.of(certificate), manager.current(ALICE));
        assertEquals(Optional.empty(), manager.current(BOB));
        assertEquals(List.of(certificate), manager.snapshot());
        assertEquals(List.of(certificate), notified);
    }

    @Test
    void concurrentRequestsShareOneCaCall() throws Exception {
        ca.hold();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<CompletableFuture<WorkloadCertificate>>> requests = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                requests.add(pool.submit(() -> {
                    start.await();
                    return manager.certificate(ALICE);
                }));
            }
            start.countDown();
            List<CompletableFuture<WorkloadCertificate>> futures = new ArrayList<>();
            for (Future<CompletableFuture<WorkloadCertificate>> request : requests) {
                futures.add(request.get());
            }
            scheduler.runDue();
            assertEquals(1, ca.calls());
            assertFalse(futures.get(0).isDone(), "the CA has not answered yet");
            ca.release();
            WorkloadCertificate first = futures.get(0).join();
            futures.forEach(future -> assertSame(first, future.join()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void renewsAtHalfLifeWithANewKey() {
        WorkloadCertificate first = fetch(manager, ALICE);
        assertEquals(List.of(first.refreshAt()), scheduler.pending());
        // Lifetime is 24 h plus the minute of backdating; half of it from notBefore.
        assertEquals(NOW.plus(Duration.ofHours(12)).minus(Duration.ofSeconds(30)), first.refreshAt());

        scheduler.advanceTo(first.refreshAt().minusSeconds(1));
        assertEquals(1, ca.calls());
        scheduler.advance(Duration.ofSeconds(1));

        assertEquals(2, ca.calls());
        WorkloadCertificate second = manager.current(ALICE).orElseThrow();
        assertNotSame(first, second);
        assertFalse(first.key().equals(second.key()), "renewal uses a fresh key");
        assertEquals(List.of(first, second), notified);
        assertEquals(List.of(second.refreshAt()), scheduler.pending());
    }

    @Test
    void keepsTheCertificateWhileRenewalFailsAndBacksOffUpTo150Seconds() {
        WorkloadCertificate certificate = fetch(manager, ALICE);
        ca.fail("CA unavailable: connection refused");
        scheduler.advanceTo(certificate.refreshAt());

        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            Instant next = scheduler.pending().get(0);
            delays.add(Duration.between(clock.instant(), next).toSeconds());
            scheduler.advanceTo(next);
            assertSame(certificate, manager.current(ALICE).orElseThrow());
            assertSame(certificate, manager.certificate(ALICE).join());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 150L, 150L, 150L), delays);
        assertEquals(List.of(certificate), notified, "no new certificate while failing");
        assertTrue(log.messages().stream().anyMatch(line -> line.contains("cannot renew the certificate of " + ALICE)
                        && line.contains("CA unavailable: connection refused")
                        && line.contains("current certificate expires in 11 h")
                        && line.contains("retrying in 2 min 30 s")), String.join("\n", log.messages()));

        ca.succeed();
        scheduler.advanceTo(scheduler.pending().get(0));
        WorkloadCertificate renewed = manager.current(ALICE).orElseThrow();
        assertNotSame(certificate, renewed);
        assertEquals(List.of(renewed.refreshAt()), scheduler.pending(), "back to the half-life schedule");
    }

    @Test
    void neverSchedulesARetryPastExpiry() {
        CertificateManager shortLived = new CertificateManager(ca, scheduler, clock, Duration.ofMinutes(10));
        WorkloadCertificate certificate = fetch(shortLived, ALICE);
        Instant expiry = certificate.notAfter();
        ca.fail("CA down");
        scheduler.advanceTo(certificate.refreshAt());

        while (clock.instant().isBefore(expiry)) {
            Instant next = scheduler.pending().get(0);
            assertFalse(next.isAfter(expiry), "retry at " + next + " is after expiry " + expiry);
            scheduler.advanceTo(next);
        }
        assertEquals(expiry, clock.instant(), "the last attempt happens at expiry");
        assertEquals(List.of(expiry.plus(CertificateManager.MAX_BACKOFF)), scheduler.pending());

        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), shortLived.current(ALICE));
        CompletionException e = assertThrows(CompletionException.class, () -> shortLived.certificate(ALICE).join());
        assertTrue(e.getCause().getMessage().contains("certificate expired at " + expiry), e.getCause().getMessage());
        assertEquals(List.of(certificate), shortLived.snapshot(), "the expired certificate stays visible");
        shortLived.close();
    }

    @Test
    void failsFastWithoutACertificateAndRetriesInTheBackground() {
        ca.fail("CA unreachable");
        CompletableFuture<WorkloadCertificate> firstRequest = request(ALICE);
        CompletionException first = assertThrows(CompletionException.class, firstRequest::join);
        assertInstanceOf(CaException.class, first.getCause());
        assertEquals("CA unreachable", first.getCause().getMessage());

        CompletableFuture<WorkloadCertificate> second = manager.certificate(ALICE);
        assertTrue(second.isCompletedExceptionally(), "answered at once, not at the next retry");
        CompletionException e = assertThrows(CompletionException.class, second::join);
        assertEquals("no valid certificate for " + ALICE + ": no certificate yet; the last CA request failed:"
                + " CA unreachable; next attempt in 1 s", e.getCause().getMessage());
        assertEquals(1, ca.calls());

        ca.succeed();
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(2, ca.calls());
        assertSame(manager.current(ALICE).orElseThrow(), manager.certificate(ALICE).join());
    }

    @Test
    void rejectsACertificateForAnotherIdentity() {
        ca.substitute(BOB);
        CompletableFuture<WorkloadCertificate> request = request(ALICE);
        CompletionException e = assertThrows(CompletionException.class, request::join);
        assertEquals("CA returned a certificate for " + BOB + " when asked for " + ALICE, e.getCause().getMessage());
        assertEquals(Optional.empty(), manager.current(ALICE));
        assertEquals(List.of(clock.instant().plusSeconds(1)), scheduler.pending());
        assertTrue(notified.isEmpty());
    }

    @Test
    void timesOutAHungCaAndIgnoresItsLateAnswer() {
        ca.hold();
        CompletableFuture<WorkloadCertificate> request = request(ALICE);
        assertEquals(List.of(NOW.plus(CertificateManager.REQUEST_TIMEOUT)), scheduler.pending());

        scheduler.advance(CertificateManager.REQUEST_TIMEOUT);
        CompletionException e = assertThrows(CompletionException.class, request::join);
        assertEquals("CA did not answer within 30 s", e.getCause().getMessage());

        scheduler.advance(Duration.ofSeconds(1)); // the retry, also held
        assertEquals(2, ca.calls());
        ca.release(); // answers both; the first belongs to an attempt that already failed
        assertTrue(manager.current(ALICE).isPresent());
        assertEquals(1, notified.size());
    }

    @Test
    void retainOnlyForgetsIdentitiesAndStopsTheirRenewal() {
        WorkloadCertificate alice = fetch(manager, ALICE);
        fetch(manager, BOB);
        assertEquals(2, scheduler.pending().size());

        manager.retainOnly(Set.of(ALICE));
        assertEquals(List.of(alice), manager.snapshot());
        assertEquals(Optional.empty(), manager.current(BOB));
        assertEquals(List.of(alice.refreshAt()), scheduler.pending());

        scheduler.advance(Duration.ofHours(13));
        assertEquals(3, ca.calls(), "only alice was renewed");
    }

    @Test
    void closeStopsRenewals() {
        fetch(manager, ALICE);
        manager.close();
        assertTrue(scheduler.pending().isEmpty());
        CompletionException e = assertThrows(CompletionException.class, () -> manager.certificate(ALICE).join());
        assertTrue(e.getCause().getMessage().contains("closed"));
    }

    @Test
    void worksOnARealSchedulerThread() throws Exception {
        ScheduledExecutorService real = Executors.newSingleThreadScheduledExecutor();
        Clock system = Clock.systemUTC();
        try (CertificateManager live = new CertificateManager(new FakeCaClient(EmbeddedCa.generate(TRUST_DOMAIN,
                system)), real, system)) {
            WorkloadCertificate certificate = live.certificate(ALICE).get(5, TimeUnit.SECONDS);
            assertEquals(ALICE, certificate.identity());
            assertSame(certificate, live.certificate(BOB).thenCompose(bob -> live.certificate(ALICE))
                    .get(5, TimeUnit.SECONDS));
        } finally {
            real.shutdownNow();
        }
    }

    @Test
    void reportsAShutDownScheduler() {
        scheduler.shutdown();
        CompletionException e = assertThrows(CompletionException.class, () -> manager.certificate(ALICE).join());
        assertTrue(e.getCause().getMessage().contains("scheduler is shut down"), e.getCause().getMessage());
        assertEquals(0, ca.calls());
    }

    @Test
    void aFailingListenerDoesNotLoseTheCertificate() {
        manager.addListener(certificate -> {
            throw new IllegalStateException("listener bug");
        });
        WorkloadCertificate certificate = fetch(manager, ALICE);
        assertEquals(Optional.of(certificate), manager.current(ALICE));
    }

    @Test
    void retryDelayDoublesIsCappedAndStopsAtExpiry() throws CaException {
        assertEquals(Duration.ofSeconds(1), CertificateManager.retryDelay(1, null, NOW));
        assertEquals(Duration.ofSeconds(128), CertificateManager.retryDelay(8, null, NOW));
        assertEquals(Duration.ofSeconds(150), CertificateManager.retryDelay(9, null, NOW));
        assertEquals(Duration.ofSeconds(150), CertificateManager.retryDelay(1000, null, NOW));

        KeyPair keyPair = Csr.newKeyPair();
        WorkloadCertificate expiresSoon = new WorkloadCertificate(ALICE, keyPair.getPrivate(),
                List.of(ca.ca().issueFor(ALICE, keyPair.getPublic(), Duration.ofSeconds(10))), List.of());
        assertEquals(Duration.ofSeconds(10), CertificateManager.retryDelay(5, expiresSoon, NOW));
        assertEquals(Duration.ofSeconds(4), CertificateManager.retryDelay(3, expiresSoon, NOW));
        assertEquals(Duration.ofSeconds(16), CertificateManager.retryDelay(5, expiresSoon, NOW.plusSeconds(11)),
                "once expired, plain backoff");
    }
}
