package dev.ambient.ztunnel.identity;

import java.io.StringReader;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A CA client for tests: signs with a real {@link EmbeddedCa} by default, and can be told to
 * fail, to hold answers until released, or to certify another identity than the one asked for.
 */
public final class FakeCaClient implements CaClient {

    private final EmbeddedCa ca;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<CompletableFuture<List<X509Certificate>>> held = new ArrayList<>();
    private volatile String failure;
    private volatile boolean holding;
    private volatile SpiffeId substitute;

    public FakeCaClient(EmbeddedCa ca) {
        this.ca = ca;
    }

    public EmbeddedCa ca() {
        return ca;
    }

    /** Number of sign requests received. */
    public int calls() {
        return calls.get();
    }

    /** Fail every request with {@code message} until {@link #succeed()}. */
    public void fail(String message) {
        failure = message;
    }

    public void succeed() {
        failure = null;
        substitute = null;
    }

    /** Keep requests pending until {@link #release()}. */
    public void hold() {
        holding = true;
    }

    /** Answers every held request (success or failure as configured now). */
    public void release() {
        holding = false;
        List<CompletableFuture<List<X509Certificate>>> pending;
        synchronized (held) {
            pending = new ArrayList<>(held);
            held.clear();
        }
        pending.forEach(future -> future.complete(null));
    }

    /** Certify {@code other} whatever identity is asked for, as a buggy or hostile CA would. */
    public void substitute(SpiffeId other) {
        substitute = other;
    }

    @Override
    public CompletableFuture<List<X509Certificate>> sign(SpiffeId identity, String csrPem, Duration validity) {
        calls.incrementAndGet();
        if (!holding) {
            return answer(identity, csrPem, validity);
        }
        CompletableFuture<List<X509Certificate>> gate = new CompletableFuture<>();
        synchronized (held) {
            held.add(gate);
        }
        return gate.thenCompose(ignored -> answer(identity, csrPem, validity));
    }

    private CompletableFuture<List<X509Certificate>> answer(SpiffeId identity, String csrPem, Duration validity) {
        String failing = failure;
        if (failing != null) {
            return CompletableFuture.failedFuture(new CaException(failing));
        }
        SpiffeId other = substitute;
        if (other == null) {
            return ca.sign(identity, csrPem, validity);
        }
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            PublicKey key = new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) parser.readObject())
                    .getPublicKey();
            return CompletableFuture.completedFuture(List.of(ca.issueFor(other, key, validity), ca.root()));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
