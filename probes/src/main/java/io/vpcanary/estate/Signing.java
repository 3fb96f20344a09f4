package io.vpcanary.estate;

/** How callers sign requests to an IAM-authorised API. */
public enum Signing {
    /** AWS Signature Version 4, for the region of the API the request goes to (one region per signature). */
    SIGV4,
    /**
     * SigV4a (ECDSA P-256), for every region the API is deployed to ({@code X-Amz-Region-Set}): one signature is good
     * in whichever region answers, as after a failover of a routing domain. REST APIs accept it since August 2025.
     * Needs the AWS CRT: the vpcanary command carries it, the Lambda canary only when built with {@code -Psigv4a}.
     */
    SIGV4A
}
