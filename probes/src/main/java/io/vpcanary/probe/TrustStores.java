package io.vpcanary.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the {@link X509TrustManager} a probe verifies servers with: the JDK's default trust store, a key store file
 * (PKCS12 or JKS, detected from its content), or PEM CA certificates. Errors name the file and what is wrong with it.
 */
public final class TrustStores {

    private TrustStores() {
    }

    /** The JDK's default trust (its {@code cacerts}). */
    public static X509TrustManager jdkDefault() {
        return fromKeyStore(null);
    }

    /**
     * Trusts the CA certificates in {@code file}: a PEM file (one or more {@code -----BEGIN CERTIFICATE-----}
     * blocks), or a PKCS12/JKS key store opened with {@code password} (may be null for PEM). The password array is
     * cleared before this method returns.
     *
     * @throws IllegalArgumentException when the file cannot be read or holds no certificate
     */
    public static X509TrustManager fromFile(Path file, char[] password) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read trust store " + file + ": " + e.getMessage(), e);
        }
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.US_ASCII);
        if (head.contains("-----BEGIN")) {
            return fromPem(file, bytes);
        }
        try {
            KeyStore ks = KeyStore.getInstance(file.toFile(), password);
            if (ks.size() == 0) {
                throw new IllegalArgumentException("trust store " + file + " holds no certificate");
            }
            return fromKeyStore(ks);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open trust store " + file
                    + " as PKCS12, JKS or PEM (wrong password?): " + e.getMessage(), e);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static X509TrustManager fromPem(Path file, byte[] bytes) {
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("PEM file " + file + " holds no certificate");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return fromKeyStore(ks);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read certificates from PEM file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static X509TrustManager fromKeyStore(KeyStore ks) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager from " + tmf.getAlgorithm());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot initialise trust: " + e.getMessage(), e);
        }
    }
}
