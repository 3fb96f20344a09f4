package io.vpcanary.estate;

/** How an API authorizes callers. */
public enum AuthType {
    /** No authorizer: only the network (and, for private APIs, the resource policy) protects the API. */
    NONE,
    /** IAM: requests are signed with SigV4 for the {@code execute-api} service. */
    IAM,
    /** HTTP API JWT authorizer. */
    JWT,
    /** REST API Cognito user pool authorizer. */
    COGNITO,
    /** REST API Lambda (token) authorizer: a token in a configured header. */
    TOKEN
}
