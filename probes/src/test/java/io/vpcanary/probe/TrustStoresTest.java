package io.vpcanary.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading trust from PEM, PKCS12 and the JDK, and the errors for unusable files. */
class TrustStoresTest {

    @TempDir
    Path dir;

    private final TestTls tls = new TestTls("trust test CA");

    @Test
    void pemAndPkcs12TrustTheirCa() throws Exception {
        X509TrustManager pem = TrustStores.fromFile(tls.caPem(dir), null);
        X509TrustManager p12 = TrustStores.fromFile(tls.caPkcs12(dir, "pw".toCharArray()), "pw".toCharArray());

        assertThat(pem.getAcceptedIssuers()).containsExactly(tls.ca.certificate());
        assertThat(p12.getAcceptedIssuers()).containsExactly(tls.ca.certificate());
        assertThat(TrustStores.jdkDefault().getAcceptedIssuers()).isNotEmpty();
    }

    @Test
    void passwordArrayIsCleared() throws Exception {
        char[] password = "pw".toCharArray();
        TrustStores.fromFile(tls.caPkcs12(dir, "pw".toCharArray()), password);
        assertThat(password).containsOnly('\0');
    }

    @Test
    void unusableFilesNameTheFile() throws Exception {
        Path p12 = tls.caPkcs12(dir, "right".toCharArray());
        assertThatThrownBy(() -> TrustStores.fromFile(p12, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(p12.toString()).hasMessageContaining("wrong password?");

        Path missing = dir.resolve("missing.p12");
        assertThatThrownBy(() -> TrustStores.fromFile(missing, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read trust store " + missing);

        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnope\n");
        assertThatThrownBy(() -> TrustStores.fromFile(garbage, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(garbage.toString());
    }
}
