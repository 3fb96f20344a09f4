package io.vpcanary.lab.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vpcanary.policy.PolicyParser;
import io.vpcanary.policy.Statement;
import java.util.List;

/**
 * An API Gateway resource policy, parsed once and evaluated per request the way IAM evaluates
 * {@code execute-api:Invoke}: if any matching statement is a Deny the result is
 * {@link Decision#EXPLICIT_DENY}; otherwise if any matching statement is an Allow it is
 * {@link Decision#ALLOW}; otherwise {@link Decision#IMPLICIT_DENY}. A statement matches when its
 * (Not)Principal, (Not)Action, (Not)Resource and all of its conditions match.
 *
 * <p>Instances are immutable and safe to share between threads. The supported subset of the policy language
 * is documented in {@code docs/resource-policies.md}; anything outside it is rejected by {@link #parse} (with
 * {@link PolicyParser}, the parser {@code vpcanary validate} uses too) rather than silently mis-evaluated.
 */
public final class ResourcePolicy {

    private final String apiArn;
    private final List<Statement> statements;

    private ResourcePolicy(String apiArn, List<Statement> statements) {
        this.apiArn = apiArn;
        this.statements = List.copyOf(statements);
    }

    /**
     * Parses a policy document for one API.
     *
     * @param policy  the document (as in the estate's {@code resourcePolicy})
     * @param region  the API's region; with account and apiId it expands the shorthand
     *                {@code execute-api:/...} to {@code arn:aws:execute-api:{region}:{account}:{apiId}/...}
     * @param account the API's 12-digit account id
     * @param apiId   the API id
     * @return the parsed policy
     * @throws IllegalArgumentException if the coordinates are not usable, or (as a
     *                                  {@link io.vpcanary.policy.PolicyException}) the document is malformed or uses
     *                                  something the lab does not support; the message names the JSON pointer
     */
    public static ResourcePolicy parse(JsonNode policy, String region, String account, String apiId) {
        String apiArn = PolicyParser.apiArn(region, account, apiId);
        return new ResourcePolicy(apiArn, PolicyParser.parse(policy, apiArn));
    }

    /**
     * Parses a private custom domain's execute-api policy, whose {@code execute-api:/*} stands for the domain's ARN
     * ({@link PolicyParser#parseDomainPolicy}); requests to the domain are authorized on {@code domainArn} itself.
     *
     * @param domainArn {@code arn:aws:execute-api:{region}:{account}:/domainnames/{domain}+{domainNameId}}
     */
    public static ResourcePolicy forDomain(JsonNode policy, String domainArn) {
        return new ResourcePolicy(domainArn, PolicyParser.parseDomainPolicy(policy, domainArn));
    }

    /** Parses a VPC endpoint policy ({@link PolicyParser#parseEndpointPolicy}). */
    public static ResourcePolicy forEndpoint(JsonNode policy) {
        return new ResourcePolicy(null, PolicyParser.parseEndpointPolicy(policy));
    }

    /** The decision for a request. */
    public Decision evaluate(RequestContext request) {
        return explain(request).decision();
    }

    /**
     * The decision for a request with the statement that made it: the first matching Deny, else the first
     * matching Allow, else none.
     */
    public Evaluation explain(RequestContext request) {
        Statement allow = null;
        for (Statement s : statements) {
            if ((s.deny() || allow == null) && Matching.statement(s, request)) {
                if (s.deny()) {
                    return new Evaluation(Decision.EXPLICIT_DENY, s.index(), s.sid());
                }
                allow = s;
            }
        }
        return allow == null ? Evaluation.IMPLICIT : new Evaluation(Decision.ALLOW, allow.index(), allow.sid());
    }

    /** The ARN the {@code execute-api:/} shorthand expands to, e.g. {@code arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5}. */
    public String apiArn() {
        return apiArn;
    }

    /**
     * The resource ARN API Gateway authorizes for a request to this API:
     * {@code {apiArn}/{stage}/{method}/{path without its leading slash}}, so {@code ("prod", "GET", "/")}
     * gives {@code .../prod/GET/}. The path is used as given (no decoding or normalisation).
     */
    public String resourceArn(String stage, String method, String path) {
        return resourceArn(apiArn, stage, method, path);
    }

    /** {@link #resourceArn(String, String, String)} of the API whose ARN is {@code apiArn}. */
    public static String resourceArn(String apiArn, String stage, String method, String path) {
        if (stage == null || stage.isEmpty() || method == null || method.isEmpty() || path == null) {
            throw new IllegalArgumentException("a resource ARN needs a stage, a method and a path");
        }
        return apiArn + "/" + stage + "/" + method + "/" + (path.startsWith("/") ? path.substring(1) : path);
    }

    /** The number of statements. */
    public int statementCount() {
        return statements.size();
    }

    @Override
    public String toString() {
        return "ResourcePolicy[" + apiArn + ", " + statements.size() + " statement(s)]";
    }
}
