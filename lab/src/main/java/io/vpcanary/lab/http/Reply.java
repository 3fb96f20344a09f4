package io.vpcanary.lab.http;

import io.vpcanary.lab.AwsAnswers;
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
 * @param stream     for a streamed answer ({@code responseTransferMode: STREAM}), its chunks ({@code body} being the
 *                   first); null for a buffered one
 */
record Reply(int status, String body, Map<String, String> headers, long delayNanos, boolean rest,
             StreamedAnswer.Plan stream) {

    Reply {
        headers = Map.copyOf(headers);
    }

    /** A buffered reply. */
    Reply(int status, String body, Map<String, String> headers, long delayNanos, boolean rest) {
        this(status, body, headers, delayNanos, rest, null);
    }

    /**
     * The AwsAnswers case {@code name} with {@code values} for its placeholders, its error type header
     * ({@code name.errorType}) and its {@code www-authenticate} header ({@code name.wwwAuthenticate}), when it has
     * them.
     */
    static Reply aws(String name, Map<String, String> values) {
        Map<String, String> headers = new LinkedHashMap<>();
        String errorType = optional(name + ".errorType");
        if (errorType != null) {
            headers.put("x-amzn-ErrorType", errorType);
        }
        String challenge = optional(name + ".wwwAuthenticate");
        if (challenge != null) {
            headers.put("www-authenticate", AwsAnswers.render(challenge, values, false));
        }
        return new Reply(AwsAnswers.status(name), AwsAnswers.body(name, values), headers, 0, true);
    }

    static Reply aws(String name) {
        return aws(name, Map.of());
    }

    private static String optional(String key) {
        try {
            return AwsAnswers.get(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
