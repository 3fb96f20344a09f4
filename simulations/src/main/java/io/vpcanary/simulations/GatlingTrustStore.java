package io.vpcanary.simulations;

import io.vpcanary.core.TargetMode;
import io.vpcanary.lab.tls.LabCa;
import io.vpcanary.probe.TrustStores;
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
import javax.net.ssl.X509TrustManager;

/**
 * The trust store Gatling verifies server certificates with. Gatling reads {@code gatling.ssl.trustStore.*} when it
 * starts, before a simulation could start a lab, and reads only key stores. So the build writes it first (bound to the
 * {@code test-compile} phase, which {@code gatling:test} runs before it starts Gatling), holding exactly what the run
 * must trust:
 * <ul>
 *   <li>{@code vpcanary.target=lab}: only the CA of the lab under test (from the running lab's environment file, or by
 *       creating the embedded lab's CA in its state folder, which the lab then reuses);</li>
 *   <li>{@code vpcanary.target=aws}: the CAs of {@code vpcanary.trustStore} (a PEM bundle, or PKCS12 whose password
 *       is in the environment variable {@code vpcanary.trustStorePasswordEnv}), else the JDK's trusted CAs.</li>
 * </ul>
 * The simulation checks with {@link #holds} that the store Gatling was given holds the lab CA, and says so loudly when
 * it does not.
 */
public final class GatlingTrustStore {

    private GatlingTrustStore() {
    }

    /**
     * Writes the trust store: {@code args[0]} its path, {@code args[1]} its password. The lab comes from the system
     * properties of {@link SimulationSettings}.
     */
    public static void main(String[] args) throws IOException, GeneralSecurityException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: LabTrustStore TRUST_STORE_FILE PASSWORD");
        }
        SimulationSettings settings;
        try {
            settings = SimulationSettings.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            System.err.println("vpcanary: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            System.out.println(write(settings, Path.of(args[0]), args[1].toCharArray()));
        } catch (IllegalArgumentException e) {
            System.err.println("vpcanary: vpcanary.trustStore: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Writes the trust store at {@code out} for the run {@code settings} describe (see the type's documentation) and
     * returns the line saying what Gatling will trust.
     *
     * @throws IllegalArgumentException when {@code vpcanary.trustStore} cannot be read
     */
    public static String write(SimulationSettings settings, Path out, char[] password)
            throws IOException, GeneralSecurityException {
        if (settings.target() == TargetMode.AWS) {
            X509TrustManager trust;
            if (settings.trustStore().isPresent()) {
                String pw = System.getenv(settings.trustStorePasswordEnv());
                trust = TrustStores.fromFile(settings.trustStore().get(), pw == null ? null : pw.toCharArray());
            } else {
                trust = TrustStores.jdkDefault();
            }
            write(List.of(trust.getAcceptedIssuers()), out, password);
            return "vpcanary: Gatling will trust " + (settings.trustStore().isPresent()
                    ? "the CAs of " + settings.trustStore().get() : "the JDK's trusted CAs") + " (trust store " + out
                    + ")";
        }
        Path caPem = caOf(settings);
        write(caPem, out, password);
        return "vpcanary: Gatling will trust only the lab CA " + caPem + " (trust store " + out + ")";
    }

    /** The CA certificate (PEM) of the lab the settings name; creates the embedded lab's CA when it has none yet. */
    public static Path caOf(SimulationSettings settings) throws IOException {
        if (settings.labEnv().isPresent()) {
            return Path.of(SimulationLab.readEnvironment(settings.labEnv().get()).ca());
        }
        Files.createDirectories(settings.labState());
        return LabCa.loadOrCreate(settings.labState()).caPem();
    }

    /** Writes a PKCS12 store at {@code out} holding every certificate of {@code caPem}, atomically. */
    public static void write(Path caPem, Path out, char[] password) throws IOException, GeneralSecurityException {
        write(certificates(caPem), out, password);
    }

    /** Writes a PKCS12 store at {@code out} holding {@code certs}, atomically. */
    public static void write(List<X509Certificate> certs, Path out, char[] password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        for (int i = 0; i < certs.size(); i++) {
            store.setCertificateEntry("vpcanary-ca-" + i, certs.get(i));
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
