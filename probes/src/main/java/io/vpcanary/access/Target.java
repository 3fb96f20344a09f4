package io.vpcanary.access;

import io.vpcanary.estate.ApiType;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Expectation;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One check of one API through one access path in one region: everything needed to send the request exactly as a
 * client on that path would. Immutable.
 *
 * @param api        logical API name
 * @param apiType    REST, HTTP or WEBSOCKET
 * @param apiId      the API id in {@code region}
 * @param stage      stage name
 * @param region     AWS region
 * @param accessPath how the client reaches the API
 * @param check      check name
 * @param method     HTTP method
 * @param url        the exact URL sent, port included when it is not 443
 * @param headers    headers that identify the API on this path plus the check's own headers; {@code Host} here
 *                   overrides the URL's host
 * @param signedHost the host a SigV4 signature covers: the Host header actually sent
 * @param vantage    the vantage point (VPC name or {@code on-premises}) whose resolver resolves {@code url}
 * @param vpcEndpoint the VPC endpoint the path goes through, or null for regional paths
 * @param body       request body, or null
 * @param auth       the API's authorizer type
 * @param expect     the expected outcome
 * @param family     the IP version the connection must use, when the name resolves to both (each is then a target
 *                   of its own); null: whatever the vantage's resolver gives
 */
public record Target(
        String api,
        ApiType apiType,
        String apiId,
        String stage,
        String region,
        AccessPath accessPath,
        String check,
        String method,
        URI url,
        Map<String, String> headers,
        String signedHost,
        String vantage,
        String vpcEndpoint,
        String body,
        AuthType auth,
        Expectation expect,
        AddressFamily family) {

    public Target {
        Objects.requireNonNull(url, "url");
        headers = Map.copyOf(headers);
    }

    /** A target over whatever IP version the vantage's resolver gives. */
    public Target(String api, ApiType apiType, String apiId, String stage, String region, AccessPath accessPath,
                  String check, String method, URI url, Map<String, String> headers, String signedHost, String vantage,
                  String vpcEndpoint, String body, AuthType auth, Expectation expect) {
        this(api, apiType, apiId, stage, region, accessPath, check, method, url, headers, signedHost, vantage,
                vpcEndpoint, body, auth, expect, null);
    }

    /** This target over {@code family} only. */
    public Target over(AddressFamily family) {
        return new Target(api, apiType, apiId, stage, region, accessPath, check, method, url, headers, signedHost,
                vantage, vpcEndpoint, body, auth, expect, family);
    }

    /** The target with header names but not their values, which may be credentials. */
    @Override
    public String toString() {
        return "Target[" + id() + " from " + vantage + ", " + method + " " + url + ", headers=" + headers.keySet()
                + ", signedHost=" + signedHost + ", vpcEndpoint=" + vpcEndpoint + ", auth=" + auth + ", expect="
                + expect + "]";
    }

    /** A stable identifier: {@code api/check/accessPath/region}, then {@code /IPv4} or {@code /IPv6} for a family. */
    public String id() {
        return api + "/" + check + "/" + accessPath + "/" + region + (family == null ? "" : "/" + family.label());
    }
}
