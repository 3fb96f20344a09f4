package io.vpcanary.lab.auth;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * SigV4a's key and signature (the {@code AWS4-ECDSA-P256-SHA256} algorithm of aws-c-auth), used by
 * {@link SigV4Verifier}.
 *
 * <p>The key pair is derived from the credentials alone, so that a verifier holding the secret key finds the public
 * key: NIST SP 800-108 HMAC-SHA256 in counter mode, keyed with {@code "AWS4A" + secret}, fixed input
 * {@code i=1 (4 bytes) || "AWS4-ECDSA-P256-SHA256" || 0x00 || accessKeyId || counter (1 byte) || L=256 (4 bytes)};
 * the 256-bit output {@code c} is accepted when {@code c <= n - 2} (n the order of P-256), and the private key is
 * {@code c + 1}; otherwise the counter goes up (from 1, at most 254 tries). The signature is ECDSA over the SHA-256
 * of the string to sign, DER-encoded, in hex. Checked against every case's {@code public-key.json} of the aws-c-auth
 * v4a suite ({@code SigV4aTestSuiteTest}).
 */
final class SigV4aCrypto {

    private static final String LABEL = "AWS4-ECDSA-P256-SHA256";
    private static final X9ECParameters P256 = ECNamedCurveTable.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
    private static final HexFormat HEX = HexFormat.of();

    private SigV4aCrypto() {
    }

    /** The public key of the SigV4a key pair of these credentials. */
    static ECPoint publicKey(String accessKeyId, String secretAccessKey) {
        return DOMAIN.getG().multiply(privateKey(accessKeyId, secretAccessKey)).normalize();
    }

    /** The private scalar of the SigV4a key pair of these credentials. */
    static BigInteger privateKey(String accessKeyId, String secretAccessKey) {
        byte[] key = ("AWS4A" + secretAccessKey).getBytes(StandardCharsets.UTF_8);
        byte[] label = LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] context = accessKeyId.getBytes(StandardCharsets.UTF_8);
        BigInteger nMinus2 = DOMAIN.getN().subtract(BigInteger.TWO);
        for (int counter = 1; counter <= 254; counter++) {
            ByteBuffer fixed = ByteBuffer.allocate(4 + label.length + 1 + context.length + 1 + 4);
            fixed.putInt(1).put(label).put((byte) 0).put(context).put((byte) counter).putInt(256);
            BigInteger c = new BigInteger(1, hmac(key, fixed.array()));
            if (c.compareTo(nMinus2) <= 0) {
                return c.add(BigInteger.ONE);
            }
        }
        throw new IllegalStateException("no SigV4a key within 254 tries (cannot happen with P-256)");
    }

    /** Whether {@code signatureHex} (DER ECDSA, hex) signs {@code stringToSign} under {@code publicKey}. */
    static boolean verify(ECPoint publicKey, String stringToSign, String signatureHex) {
        BigInteger r;
        BigInteger s;
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(HEX.parseHex(signatureHex)));
            if (seq.size() != 2) {
                return false;
            }
            r = ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue();
            s = ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue();
        } catch (RuntimeException | java.io.IOException e) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(publicKey, DOMAIN));
        return verifier.verifySignature(sha256(stringToSign.getBytes(StandardCharsets.UTF_8)), r, s);
    }

    /** The public key's affine X and Y as 64 lowercase hex digits each. */
    static String[] hexCoordinates(ECPoint publicKey) {
        return new String[] {
                HEX.formatHex(publicKey.getAffineXCoord().getEncoded()),
                HEX.formatHex(publicKey.getAffineYCoord().getEncoded())};
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
