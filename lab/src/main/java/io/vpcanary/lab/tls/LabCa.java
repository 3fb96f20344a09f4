package io.vpcanary.lab.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vpcanary.files.SecretFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The lab's certificate authority: one self-signed CA per lab state folder, created at first start and reused
 * after, which signs a fresh server certificate for each region's front doors at every start.
 *
 * <p>Files in the state folder:
 * <ul>
 *   <li>{@value #CA_PEM}: the CA certificate (PEM); hand it to curl ({@code --cacert}) or any non-JVM client;</li>
 *   <li>{@value #CA_KEY_PEM}: the CA private key (PKCS#8 PEM), readable by its owner only where the file system
 *       has POSIX permissions;</li>
 *   <li>{@value #TRUST_STORE}: a PKCS12 trust store holding the CA certificate as a trusted entry (alias
 *       {@value #TRUST_ALIAS}) for JVM clients, password {@value #TRUST_STORE_PASSWORD}.</li>
 * </ul>
 * The trust store password is fixed and documented: it protects nothing but the store's integrity, and the
 * store holds no private key. The CA is valid for ten years; leaves for one year (they are reissued at every
 * start anyway). Keys are EC P-256 and signatures ECDSA with SHA-256.
 *
 * <p>{@link #loadOrCreate} holds an exclusive lock on {@value #LOCK_FILE} while it creates or reads the files (and
 * is synchronized within the JVM), so two labs starting at once on one state folder agree on one CA. Instances are immutable and thread-safe.
 */
public final class LabCa {

    /** File name of the CA certificate. */
    public static final String CA_PEM = "ca.pem";
    /** File name of the CA private key. */
    public static final String CA_KEY_PEM = "ca-key.pem";
    /** File name of the PKCS12 trust store. */
    public static final String TRUST_STORE = "truststore.p12";
    /** Password of the trust store: fixed, documented, not a secret. */
    public static final String TRUST_STORE_PASSWORD = "vpcanary-lab";
    /** Alias of the CA certificate in the trust store. */
    public static final String TRUST_ALIAS = "vpcanary-lab-ca";
    static final String LOCK_FILE = ".ca.lock";

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path caPem;
    private final Path trustStore;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private LabCa(Path caPem, Path trustStore, X509Certificate certificate, PrivateKey key) {
        this.caPem = caPem;
        this.trustStore = trustStore;
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * The CA of the state folder {@code stateDir}: read from its files when {@value #CA_PEM} exists, created
     * (with the folder) otherwise. A missing trust store is rewritten from the CA certificate.
     *
     * @throws IOException when the folder cannot be written, or when {@value #CA_PEM} exists but it or its key
     *                     cannot be read (the message names the file; delete both to start afresh)
     */
    public static synchronized LabCa loadOrCreate(Path stateDir) throws IOException {
        // synchronized: a file lock excludes other processes, not other threads of this one
        Path dir = stateDir.toAbsolutePath();
        Files.createDirectories(dir);
        Path caPem = dir.resolve(CA_PEM);
        Path keyPem = dir.resolve(CA_KEY_PEM);
        Path trustStore = dir.resolve(TRUST_STORE);
        try (FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            LabCa ca = Files.exists(caPem) ? read(caPem, keyPem, trustStore) : create(caPem, keyPem, trustStore);
            if (!Files.exists(trustStore)) {
                writeTrustStore(trustStore, ca.certificate);
            }
            return ca;
        }
    }

    private static LabCa read(Path caPem, Path keyPem, Path trustStore) throws IOException {
        X509Certificate cert;
        try (Reader r = Files.newBufferedReader(caPem, StandardCharsets.UTF_8); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            if (!(o instanceof X509CertificateHolder holder)) {
                throw new IOException(caPem + " does not hold a PEM certificate; delete " + CA_PEM + " and "
                        + CA_KEY_PEM + " to create a new lab CA");
            }
            cert = new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the lab CA certificate " + caPem + ": " + e.getMessage(), e);
        }
        if (!Files.exists(keyPem)) {
            throw new IOException("the lab CA key " + keyPem + " is missing next to " + caPem
                    + "; delete " + CA_PEM + " to create a new lab CA");
        }
        PrivateKey key;
        try (Reader r = Files.newBufferedReader(keyPem, StandardCharsets.UTF_8); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else if (o instanceof PEMKeyPair pair) {
                key = converter.getPrivateKey(pair.getPrivateKeyInfo());
            } else {
                throw new IOException(keyPem + " does not hold a PEM private key");
            }
        }
        return new LabCa(caPem, trustStore, cert, key);
    }

    private static LabCa create(Path caPem, Path keyPem, Path trustStore) throws IOException {
        try {
            KeyPair pair = newKeyPair();
            X500Principal subject = new X500Principal("CN=vpcanary lab CA, O=vpcanary");
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer(pair.getPrivate())));
            SecretFiles.write(keyPem, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate())
                    .getBytes(StandardCharsets.US_ASCII));
            writeTrustStore(trustStore, cert);
            // The certificate goes last: its presence is what marks a complete CA.
            SecretFiles.write(caPem, pem(cert).getBytes(StandardCharsets.US_ASCII));
            return new LabCa(caPem, trustStore, cert, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create the lab CA: " + e.getMessage(), e);
        }
    }

    /** Path of the CA certificate (PEM). */
    public Path caPem() {
        return caPem;
    }

    /** Path of the PKCS12 trust store holding the CA certificate. */
    public Path trustStore() {
        return trustStore;
    }

    /** The trust store password, {@value #TRUST_STORE_PASSWORD} (not a secret). */
    public String trustStorePassword() {
        return TRUST_STORE_PASSWORD;
    }

    /** The CA certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A server TLS context (JDK provider, TLS 1.3 and 1.2, HTTP/1.1) presenting a fresh leaf certificate signed by
     * this CA whose subject alternative names are {@code dnsNames}. A wildcard ({@code *.example.com}) covers one
     * label, as in the Web PKI. The chain sent is the leaf then the CA.
     *
     * @throws IllegalArgumentException when {@code dnsNames} is empty or holds a blank name
     * @throws IOException when the certificate cannot be issued
     */
    public SslContext serverContext(Collection<String> dnsNames) throws IOException {
        return serverContext(dnsNames, List.of("TLSv1.3", "TLSv1.2"), List.of());
    }

    /**
     * As {@link #serverContext(Collection)}, offering exactly {@code protocols} (JDK names such as {@code TLSv1.3})
     * and {@code cipherSuites} (IANA names; empty for the JDK's defaults). Each must be one the JDK enables.
     */
    public SslContext serverContext(Collection<String> dnsNames, List<String> protocols, List<String> cipherSuites)
            throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (String n : dnsNames) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException("a server certificate name is blank: " + dnsNames);
            }
            names.add(n.toLowerCase(Locale.ROOT));
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one DNS name");
        }
        try {
            KeyPair leafKeys = newKeyPair();
            X509Certificate leaf = issueLeaf(leafKeys, List.copyOf(names));
            SslContextBuilder b = SslContextBuilder.forServer(leafKeys.getPrivate(), leaf, certificate)
                    .sslProvider(SslProvider.JDK)
                    .protocols(protocols);
            if (!cipherSuites.isEmpty()) {
                b.ciphers(cipherSuites);
            }
            return b.build();
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot issue a lab server certificate for " + names + ": " + e.getMessage(), e);
        }
    }

    /** Issues a leaf certificate for {@code names} (visible for tests). */
    X509Certificate issueLeaf(KeyPair leafKeys, List<String> names)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        X500Principal subject = new X500Principal("CN=" + names.get(0).replace(",", "\\,") + ", O=vpcanary lab");
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(LEAF_VALIDITY)), subject,
                leafKeys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        List<GeneralName> sans = new ArrayList<>();
        names.forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leafKeys.getPublic()));
        return new JcaX509CertificateConverter().getCertificate(b.build(signer(key)));
    }

    static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(SIGNATURE).build(key);
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o);
        }
        return w.toString();
    }

    private static void writeTrustStore(Path file, X509Certificate cert) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry(TRUST_ALIAS, cert);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ks.store(out, TRUST_STORE_PASSWORD.toCharArray());
            SecretFiles.write(file, out.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write the lab trust store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "LabCa[" + certificate.getSubjectX500Principal().getName() + ", " + caPem + "]";
    }
}
