package io.vpcanary.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Expectation;
import io.vpcanary.estate.TlsVersion;
import org.junit.jupiter.api.Test;

/** {@code expect.tlsVersion}: a minimum, judged on the version the handshake negotiated. */
class VerdictTlsVersionTest {

    private static final Expectation TLS13 = new Expectation(200, null, null, null, TlsVersion.TLS_1_3);
    private static final Expectation TLS12 = new Expectation(200, null, null, null, TlsVersion.TLS_1_2);

    @Test
    void aLowerNegotiatedVersionIsAnAssertionMiss() {
        Verdict v = Verdict.judge(TLS13, 200, null, null, "{}", 5.0, "TLSv1.2");
        assertThat(v).isEqualTo(new Verdict(ErrorClass.ASSERTION, false, "expected TLSv1.3 or later, negotiated TLSv1.2"));
    }

    @Test
    void theVersionOrALaterOnePasses() {
        assertThat(Verdict.judge(TLS13, 200, null, null, "{}", 5.0, "TLSv1.3").passed()).isTrue();
        assertThat(Verdict.judge(TLS12, 200, null, null, "{}", 5.0, "TLSv1.3").passed()).isTrue();
        assertThat(Verdict.judge(TLS12, 200, null, null, "{}", 5.0, "TLSv1.2").passed()).isTrue();
    }

    @Test
    void noHandshakeMissesAndLoadRunsDoNotJudgeIt() {
        assertThat(Verdict.judge(TLS12, 200, null, null, "{}", 5.0, null).errorClass()).isEqualTo(ErrorClass.ASSERTION);
        assertThat(Verdict.judge(TLS13, 200, null, null, "{}", 5.0).passed()).isTrue();
    }
}
