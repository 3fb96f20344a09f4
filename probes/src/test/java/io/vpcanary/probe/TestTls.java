package io.vpcanary.probe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A test certificate authority and a server certificate it signed for the names the probes call: API names, VPC
 * endpoint names and {@code *.example.test}.
 */
final class TestTls {

    static final String[] NAMES = {
            "*.execute-api.us-east-1.amazonaws.com",
            "*.execute-api.us-east-1.vpce.amazonaws.com",
            "*.example.test"};

    final HeldCertificate ca;
    final HeldCertificate server;

    TestTls(String caName) {
        ca = new HeldCertificate.Builder().certificateAuthority(0).commonName(caName).build();
        HeldCertificate.Builder b = new HeldCertificate.Builder().signedBy(ca).commonName("server");
        for (String n : NAMES) {
            b.addSubjectAlternativeName(n);
        }
        server = b.build();
    }

    /** Serves HTTPS with the server certificate and chain. */
    void serve(MockWebServer web) {
        HandshakeCertificates certs = new HandshakeCertificates.Builder()
                .heldCertificate(server, ca.certificate())
                .build();
        web.useHttps(certs.sslSocketFactory());
    }

    /** The CA as a PEM file in {@code dir}. */
    Path caPem(Path dir) throws IOException {
        Path f = dir.resolve("ca-" + System.nanoTime() + ".pem");
        Files.writeString(f, ca.certificatePem(), StandardCharsets.US_ASCII);
        return f;
    }

    /** The CA in a PKCS12 trust store in {@code dir}. */
    Path caPkcs12(Path dir, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.certificate());
        Path f = dir.resolve("trust-" + System.nanoTime() + ".p12");
        try (OutputStream out = Files.newOutputStream(f)) {
            ks.store(out, password);
        }
        return f;
    }
}
