package io.vpcanary.lab.http;

import io.vpcanary.aws.AwsMessages;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a front door answers to one request: a status, a JSON body, extra headers, and the simulated delay before
 * it is sent. Request id headers are added when the reply is written.
 *
 * @param status     HTTP status
 * @param body       JSON body
 * @param headers    extra headers (such as {@code x-amzn-ErrorType})
 * @param delayNanos how long after the request the reply goes out (simulated integration latency)
 * @param rest       whether the reply comes from a REST API (adds {@code x-amz-apigw-id}); false for front-door
 *                   level replies of other API types
 */
record Reply(int status, String body, Map<String, String> headers, long delayNanos, boolean rest) {

    Reply {
        headers = Map.copyOf(headers);
    }

    /** The AwsMessages case {@code name} with {@code values} for its placeholders, and its error type header if any. */
    static Reply aws(String name, Map<String, String> values) {
        Map<String, String> headers = new LinkedHashMap<>();
        String errorType = optional(name + ".errorType");
        if (errorType != null) {
            headers.put("x-amzn-ErrorType", errorType);
        }
        return new Reply(AwsMessages.status(name), AwsMessages.body(name, values), headers, 0, true);
    }

    static Reply aws(String name) {
        return aws(name, Map.of());
    }

    private static String optional(String key) {
        try {
            return AwsMessages.get(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
