package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A VPC that clients call from. Each VPC is a vantage point: in the lab it has its own resolver view,
 * named by {@link #name()}.
 */
public record Vpc(
        @JsonPropertyDescription("VPC id, such as vpc-0a1b2c3d4e5f60718.") String id,
        @JsonPropertyDescription("Short name used as the vantage point and lab resolver view name.") String name,
        @JsonPropertyDescription("AWS region of the VPC, such as us-east-1.") String region,
        @JsonPropertyDescription("12-digit id of the AWS account owning the VPC, when it is not the estate's account (a consumer of a shared private custom domain, say).") String account) {

    /** A VPC of the estate's own account. */
    public Vpc(String id, String name, String region) {
        this(id, name, region, null);
    }
}
