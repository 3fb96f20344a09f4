package io.vpcanary.estate;

/** API Gateway endpoint type. {@link #PRIVATE} is reachable only through execute-api interface VPC endpoints. */
public enum EndpointType {
    PRIVATE,
    REGIONAL
}
