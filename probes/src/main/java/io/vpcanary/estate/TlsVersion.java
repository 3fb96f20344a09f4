package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonValue;

/** A TLS protocol version a check may require at least, named as the JDK and the probe's JSON name it. */
public enum TlsVersion {
    TLS_1_2("TLSv1.2"),
    TLS_1_3("TLSv1.3");

    private final String javaName;

    TlsVersion(String javaName) {
        this.javaName = javaName;
    }

    /** The name in estates and outcomes, such as {@code TLSv1.3}. */
    @JsonValue
    public String javaName() {
        return javaName;
    }

    /**
     * Whether {@code negotiated} (a JDK protocol name such as {@code TLSv1.2}, or null without a handshake) is this
     * version or a later one.
     */
    public boolean isMetBy(String negotiated) {
        for (TlsVersion v : values()) {
            if (v.javaName.equals(negotiated)) {
                return v.compareTo(this) >= 0;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return javaName;
    }
}
