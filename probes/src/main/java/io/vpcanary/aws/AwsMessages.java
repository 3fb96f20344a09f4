package io.vpcanary.aws;

import java.util.Map;

/**
 * The names of API Gateway's request id headers, as plain constants (no file is read). The error bodies the lab
 * renders live in the lab ({@code io.vpcanary.lab.AwsAnswers}); what the probes recognise in an answer lives in
 * {@code io.vpcanary.probe.Classifier}; both are tested against the corpus of real answers in the probes' test
 * resources ({@code io/vpcanary/aws/api-gateway-error-corpus.json}).
 */
public final class AwsMessages {

    /** REST APIs: the request id. */
    public static final String REST_REQUEST_ID_HEADER = "x-amzn-RequestId";
    /** REST APIs: the extended request id. */
    public static final String REST_EXTENDED_REQUEST_ID_HEADER = "x-amz-apigw-id";
    /** HTTP APIs: the request id (unconfirmed: seen in answers, not named in AWS's pages). */
    public static final String HTTP_REQUEST_ID_HEADER = "apigw-requestid";

    private static final Map<String, String> BY_KEY = Map.of(
            "rest.requestIdHeader", REST_REQUEST_ID_HEADER,
            "rest.extendedRequestIdHeader", REST_EXTENDED_REQUEST_ID_HEADER,
            "http.requestIdHeader", HTTP_REQUEST_ID_HEADER);

    private AwsMessages() {
    }

    /**
     * The header name for {@code key} ({@code rest.requestIdHeader}, {@code rest.extendedRequestIdHeader},
     * {@code http.requestIdHeader}); fails loudly for any other key.
     */
    public static String get(String key) {
        String v = BY_KEY.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no AWS header name '" + key + "'");
        }
        return v;
    }
}
