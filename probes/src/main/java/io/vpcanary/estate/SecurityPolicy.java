package io.vpcanary.estate;

import java.util.List;

/**
 * An API Gateway security policy of an API or a custom domain name: the TLS versions (and, where listed, the cipher
 * suites) a client may negotiate. Names are AWS's ({@code TLS_1_0} and {@code TLS_1_2} legacy, {@code
 * SecurityPolicy_*} enhanced, November 2025); sources and what the lab makes of them in {@code docs/estate.md}.
 */
public enum SecurityPolicy {
    /** Legacy: TLS 1.0 and later. Cipher list not modelled (the JDK's defaults for these versions). */
    TLS_1_0(List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"), List.of()),
    /** Legacy, the default: TLS 1.2 and 1.3 with the cipher suites of AWS's TLS_1_2 table (IANA names). */
    TLS_1_2(List.of("TLSv1.3", "TLSv1.2"), List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_256_CBC_SHA256")),
    /** Enhanced: TLS 1.3 and 1.2. Cipher list not modelled. */
    SecurityPolicy_TLS13_1_2_2021_06(List.of("TLSv1.3", "TLSv1.2"), List.of()),
    /** Enhanced: TLS 1.3 only. Cipher list not modelled (the JDK's TLS 1.3 suites). */
    SecurityPolicy_TLS13_1_3_2025_09(List.of("TLSv1.3"), List.of());

    private final List<String> protocols;
    private final List<String> cipherSuites;

    SecurityPolicy(List<String> protocols, List<String> cipherSuites) {
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    /** The TLS versions the policy accepts, in JDK names ({@code TLSv1.3}), newest first. */
    public List<String> protocols() {
        return protocols;
    }

    /** The cipher suites the policy accepts, in IANA (JDK) names; empty when not modelled. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }
}
