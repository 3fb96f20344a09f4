package io.vpcanary.lab.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers: policy documents from JSON text and requests against one lab API. */
final class Policies {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "111122223333";
    static final String API_ID = "ordrseast1";
    static final String API_ARN = "arn:aws:execute-api:us-east-1:111122223333:ordrseast1";
    static final String ROLE = "arn:aws:iam::111122223333:role/canary";
    static final String SESSION = "arn:aws:sts::111122223333:assumed-role/canary/probe-session";
    static final String OTHER_ACCOUNT_ROLE = "arn:aws:iam::444455556666:role/canary";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Policies() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a policy as the lab does, after checking that {@code vpcanary validate} agrees about it (accepts it
     * exactly when the lab does, refusing it with the same message): every policy the lab's tests parse is such a
     * check.
     */
    static ResourcePolicy policy(String text) {
        JsonNode document = json(text);
        ValidatorAgreement.assertAgree(document);
        return ResourcePolicy.parse(document, REGION, ACCOUNT, API_ID);
    }

    /** A one-statement policy from the statement's JSON. */
    static ResourcePolicy statement(String statementJson) {
        return policy("{\"Version\": \"2012-10-17\", \"Statement\": " + statementJson + "}");
    }

    /** The ARN of {@code stage/METHOD/path} of the test API. */
    static String arn(String stageMethodPath) {
        return API_ARN + "/" + stageMethodPath;
    }

    /** An execute-api:Invoke request on {@code stage/METHOD/path} with condition keys given as name, value, ... */
    static RequestContext invoke(String principal, String stageMethodPath, String... keyValues) {
        return new RequestContext(principal, RequestContext.INVOKE, arn(stageMethodPath), keys(keyValues));
    }

    static Map<String, String> keys(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys come in name, value pairs");
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put(keyValues[i], keyValues[i + 1]);
        }
        return keys;
    }
}
