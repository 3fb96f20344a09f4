package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The ports of the lab. 0 means an ephemeral port chosen at start (the same one on every lab address). */
public record LabPorts(
        @JsonPropertyDescription("HTTPS port of every front door. Default 8443; 0 for ephemeral.") Integer https,
        @JsonPropertyDescription("DNS port (UDP and TCP) of every resolver view. Default 8053; 0 for ephemeral.") Integer dns) {

    public static final LabPorts DEFAULT = new LabPorts(null, null);

    public LabPorts {
        if (https == null) {
            https = 8443;
        }
        if (dns == null) {
            dns = 8053;
        }
    }
}
