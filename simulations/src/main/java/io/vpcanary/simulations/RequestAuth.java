package io.vpcanary.simulations;

import io.gatling.http.client.Request;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.vpcanary.auth.SigV4RequestSigner;
import io.vpcanary.auth.TokenAuth;
import io.vpcanary.auth.TokenProvider;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Estate;
import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.probe.AuthMaterial;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How the requests of a load run authenticate, applied to each request of a {@link PathRequest} by
 * {@link #authorize}: nothing ({@link #NONE}), a SigV4 signature computed per request at send time through Gatling's
 * signing hook ({@link #sigV4}), or a bearer token from an OAuth client shared by every virtual user ({@link #jwt}).
 *
 * <p>Credentials come from the lab under test ({@link AuthMaterial#lab}): the lab principal's access key, and the
 * OAuth client the lab's identity provider registered for each API. Nothing here logs or formats a secret or a token.
 */
public interface RequestAuth {

    /** Adds what {@code r}'s API needs to {@code request}. */
    HttpRequestActionBuilder authorize(PathRequest r, HttpRequestActionBuilder request);

    /** No authentication: requests go as they are. */
    RequestAuth NONE = (r, request) -> request;

    /**
     * SigV4 for {@code execute-api}: each request is signed when Gatling sends it (a fresh date and signature per
     * request) by a {@link SigV4RequestSigner} of the request's region, with the lab principal's credentials. The
     * signature covers the headers Gatling sends at that point; an explicit {@code Host} header (the
     * {@code VPCE_HOST_HEADER} path) is signed as sent.
     */
    static RequestAuth sigV4(LabEnvironment env) {
        AwsCredentialsProvider credentials = AuthMaterial.lab(env, name -> null).awsCredentials();
        Map<String, SigV4RequestSigner> signers = new ConcurrentHashMap<>();
        return (r, request) -> {
            SigV4RequestSigner signer = signers.computeIfAbsent(r.region(),
                    region -> SigV4RequestSigner.builder(region).credentials(credentials).build());
            return request.sign(req -> sign(signer, req));
        };
    }

    /**
     * A bearer token in the API's identity source header ({@code Authorization: Bearer ...} by default): one OAuth
     * client-credentials {@link TokenProvider} per API, asking for the API's route scopes, shared by every virtual user
     * and refreshed before expiry by the provider; the header value is asked of it per request.
     *
     * @throws IllegalArgumentException at the first request of an API for which the lab registers no client
     */
    static RequestAuth jwt(LabEnvironment env, Estate estate) {
        AuthMaterial material = AuthMaterial.lab(env, name -> null);
        Map<String, TokenAuth> byApi = new ConcurrentHashMap<>();
        return (r, request) -> {
            TokenAuth auth = byApi.computeIfAbsent(r.api(), name -> {
                Api api = estate.api(name).orElseThrow(() -> new IllegalArgumentException("no API '" + name + "'"));
                TokenProvider provider = material.clientCredentials(api, api.auth().scopes());
                return "Authorization".equalsIgnoreCase(api.auth().identitySource()) ? TokenAuth.bearer(provider)
                        : TokenAuth.header(api.auth().identitySource(), provider);
            });
            return request.header(auth.headerName(), session -> auth.headerValue());
        };
    }

    /** The authentication a simulation driving APIs of {@code type} uses. */
    static RequestAuth of(AuthType type, LabEnvironment env, Estate estate) {
        Objects.requireNonNull(type, "type");
        return switch (type) {
            case NONE -> NONE;
            case IAM -> sigV4(env);
            case JWT, COGNITO -> jwt(env, estate);
            default -> throw new IllegalArgumentException(type + " authorization is not driven by the simulations");
        };
    }

    /** Signs {@code req} in place with the headers it carries now and answers it (Gatling's signature calculator). */
    static Request sign(SigV4RequestSigner signer, Request req) {
        HttpHeaders headers = req.getHeaders();
        Map<String, List<String>> sent = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers) {
            sent.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
        }
        var uri = req.getUri();
        Map<String, String> added = signer.sign(req.getMethod().name(), uri.getScheme(), uri.getHost(),
                uri.getPort(), uri.getNonEmptyPath(), uri.getQuery(), sent, null);
        added.forEach(headers::set);
        return req;
    }
}
