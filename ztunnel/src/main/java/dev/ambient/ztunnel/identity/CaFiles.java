package dev.ambient.ztunnel.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Set;

/**
 * The on-disk form of an {@link EmbeddedCa}: {@code root-cert.pem} and {@code root-key.pem} in
 * one directory. Refuses to guess when only one file is there, because silently generating a
 * new root would break every certificate already issued in the mesh.
 */
final class CaFiles {

    static final String CERT_FILE = "root-cert.pem";
    static final String KEY_FILE = "root-key.pem";

    private static final System.Logger LOG = System.getLogger(EmbeddedCa.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");

    private CaFiles() {
    }

    /**
     * Loads the CA, or creates it when the directory has neither file. Creation happens under a file
     * lock, so agents starting at the same moment against one directory agree on a single root.
     */
    static synchronized EmbeddedCa loadOrCreate(Path caDir, String trustDomain, Clock clock) {
        SpiffeId.requireTrustDomain(trustDomain);
        try {
            createPrivateDirectory(caDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the CA directory " + caDir + ": " + e.getMessage(), e);
        }
        try (FileChannel lockFile = FileChannel.open(caDir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            return loadOrCreateLocked(caDir, trustDomain, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the CA directory " + caDir + ": " + e.getMessage(), e);
        }
    }

    private static EmbeddedCa loadOrCreateLocked(Path caDir, String trustDomain, Clock clock) {
        Path certFile = caDir.resolve(CERT_FILE);
        Path keyFile = caDir.resolve(KEY_FILE);
        boolean hasCert = Files.exists(certFile);
        boolean hasKey = Files.exists(keyFile);
        if (hasCert && hasKey) {
            return load(certFile, keyFile, trustDomain, clock);
        }
        if (hasCert || hasKey) {
            Path present = hasCert ? certFile : keyFile;
            Path missing = hasCert ? keyFile : certFile;
            throw new IllegalStateException("CA directory " + caDir + " has " + present.getFileName() + " but "
                    + missing + " is missing; restore it, or delete " + present
                    + " to create a new CA (every workload certificate will then be reissued)");
        }
        return create(caDir, certFile, keyFile, trustDomain, clock);
    }

    private static EmbeddedCa load(Path certFile, Path keyFile, String trustDomain, Clock clock) {
        String certPem;
        String keyPem;
        try {
            certPem = Files.readString(certFile);
            keyPem = Files.readString(keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA files in " + certFile.getParent() + ": " + e.getMessage(),
                    e);
        }
        warnIfReadableByOthers(keyFile);
        EmbeddedCa ca = EmbeddedCa.fromPem(trustDomain, certPem, keyPem, certFile + " and " + keyFile, clock);
        LOG.log(Level.INFO, "loaded CA for trust domain {0} from {1}, root expires {2}",
                trustDomain, certFile.getParent(), ca.root().getNotAfter().toInstant());
        return ca;
    }

    private static EmbeddedCa create(Path caDir, Path certFile, Path keyFile, String trustDomain, Clock clock) {
        KeyPair keyPair = Csr.newKeyPair();
        X509Certificate root = EmbeddedCa.selfSignedRoot(trustDomain, keyPair, clock);
        try {
            createPrivateDirectory(caDir);
            // Key first: a crash in between leaves a key without a certificate, which is reported.
            write(keyFile, Pem.encode(keyPair.getPrivate()), OWNER_ONLY);
            write(certFile, Pem.encode(root), PUBLIC_READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the CA files in " + caDir + ": " + e.getMessage(), e);
        }
        LOG.log(Level.INFO, "created a new CA for trust domain {0} in {1}", trustDomain, caDir);
        return new EmbeddedCa(trustDomain, keyPair.getPrivate(), root, clock);
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dir);
        }
    }

    /** Writes to a temporary file created with its final permissions, then renames it into place. */
    private static void write(Path target, String content, Set<PosixFilePermission> permissions) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(permissions));
            // The umask may have removed bits we asked for; set them explicitly.
            Files.setPosixFilePermissions(temporary, permissions);
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(temporary);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another process is writing " + temporary, e);
        }
        Files.writeString(temporary, content);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void warnIfReadableByOthers(Path keyFile) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(keyFile);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.log(Level.WARNING, "CA key {0} is readable by other users ({1}); chmod 600 it",
                        keyFile, PosixFilePermissions.toString(permissions));
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.DEBUG, "cannot read permissions of {0}: {1}", keyFile, e.toString());
        }
    }
}
