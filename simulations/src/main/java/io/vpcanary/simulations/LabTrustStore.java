package io.vpcanary.simulations;

import io.vpcanary.lab.tls.LabCa;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The trust store Gatling verifies the lab's certificates with. Gatling trusts every certificate unless
 * {@code gatling.ssl.trustStore.*} names a store, and it reads that store when it starts, before a simulation could
 * start a lab. So the load profile runs {@link #main} first: it takes the CA of the lab under test (from the running
 * lab's environment file, or by creating the embedded lab's CA in its state folder, which the lab then reuses) and
 * writes a PKCS12 store holding only that CA. The simulation checks with {@link #holds} that the store Gatling was
 * given holds the CA of the lab it drives, and says so loudly when it does not.
 */
public final class LabTrustStore {

    private LabTrustStore() {
    }

    /**
     * Writes the trust store: {@code args[0]} its path, {@code args[1]} its password. The lab comes from the system
     * properties of {@link SimulationSettings}.
     */
    public static void main(String[] args) throws IOException, GeneralSecurityException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: LabTrustStore TRUST_STORE_FILE PASSWORD");
        }
        SimulationSettings settings = SimulationSettings.fromSystemProperties();
        Path caPem = caOf(settings);
        Path out = Path.of(args[0]);
        write(caPem, out, args[1].toCharArray());
        System.out.println("vpcanary: Gatling will trust only the lab CA " + caPem + " (trust store " + out + ")");
    }

    /** The CA certificate (PEM) of the lab the settings name; creates the embedded lab's CA when it has none yet. */
    public static Path caOf(SimulationSettings settings) throws IOException {
        if (settings.labEnv().isPresent()) {
            Path file = settings.labEnv().get();
            if (!Files.isRegularFile(file)) {
                throw new IOException("vpcanary.labEnv names " + file + ", which is not a file; start a lab with "
                        + "'vpcanary lab --env-file " + file + "' first");
            }
            return Path.of(LabEnvironment.read(file).ca());
        }
        Files.createDirectories(settings.labState());
        return LabCa.loadOrCreate(settings.labState()).caPem();
    }

    /** Writes a PKCS12 store at {@code out} holding every certificate of {@code caPem}, atomically. */
    public static void write(Path caPem, Path out, char[] password) throws IOException, GeneralSecurityException {
        List<X509Certificate> certs = certificates(caPem);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        for (int i = 0; i < certs.size(); i++) {
            store.setCertificateEntry("vpcanary-lab-ca-" + i, certs.get(i));
        }
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".truststore", ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp)) {
            store.store(os, password);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether the trust store at {@code store} holds every certificate of {@code caPem}. */
    public static boolean holds(Path store, char[] password, Path caPem) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(store)) {
            return false;
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password);
        }
        for (X509Certificate ca : certificates(caPem)) {
            if (ks.getCertificateAlias(ca) == null) {
                return false;
            }
        }
        return true;
    }

    /** The certificates of a PEM file; fails when it holds none. */
    static List<X509Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> read;
        try (InputStream in = Files.newInputStream(pem)) {
            read = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : read) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + pem);
        }
        return out;
    }
}
