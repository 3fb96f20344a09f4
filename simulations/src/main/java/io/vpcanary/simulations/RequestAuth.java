package io.vpcanary.simulations;

import io.gatling.http.client.Request;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.vpcanary.auth.SigV4RequestSigner;
import io.vpcanary.auth.TokenAuth;
import io.vpcanary.estate.Estate;
import io.vpcanary.probe.AuthMaterial;
import io.vpcanary.probe.ProbeAuth;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the requests of a load run authenticate, chosen per request by its target's authorizer ({@link #of}): nothing,
 * a SigV4 signature computed per request at send time through Gatling's signing hook, or a token from an OAuth
 * client (or a static token) shared by every virtual user, exactly as the probe authenticates.
 *
 * <p>Credentials come from the client's {@link AuthMaterial} (a lab's principal and OAuth clients, or the AWS SDK's
 * default chain and the estate's client settings). Nothing here logs or formats a secret or a token.
 */
public final class RequestAuth {

    private final Estate estate;
    private final ProbeAuth auth;
    private final Map<String, TokenAuth> tokens = new ConcurrentHashMap<>();

    private RequestAuth(Estate estate, AuthMaterial material) {
        this.estate = Objects.requireNonNull(estate, "estate");
        this.auth = new ProbeAuth(estate, material);
    }

    /** The authentication of the requests of {@code estate}'s APIs with {@code material}. */
    public static RequestAuth of(Estate estate, AuthMaterial material) {
        return new RequestAuth(estate, material);
    }

    /**
     * Adds what {@code r}'s API needs to {@code request}: for IAM a SigV4 signature of the request's region (SigV4a
     * for the API's regions when its auth says {@code signing: SIGV4A}) made when
     * Gatling sends it (a fresh date and signature per request, covering the headers sent, an explicit {@code Host}
     * included); for JWT, Cognito and TOKEN APIs the identity-source header with the token the probe would send, from
     * one provider per API shared by every virtual user and refreshed before expiry.
     */
    public HttpRequestActionBuilder authorize(PathRequest r, HttpRequestActionBuilder request) {
        return switch (r.target().auth()) {
            case NONE -> request;
            case IAM -> {
                SigV4RequestSigner signer = auth.signer(estate.api(r.api()).orElse(null), r.region());
                yield request.sign(req -> sign(signer, req));
            }
            default -> {
                TokenAuth token = tokens.computeIfAbsent(r.api(), name -> auth.tokenAuth(estate.api(name)
                        .orElseThrow(() -> new IllegalArgumentException("no API '" + name + "'"))));
                yield request.header(token.headerName(), session -> token.headerValue());
            }
        };
    }

    /**
     * The URL a WebSocket {@code $connect} of {@code r} opens, made when a virtual user connects: presigned with SigV4
     * in the query string for an IAM API (a fresh date and signature per connection, as the probe signs it), the
     * target's URL otherwise.
     */
    public String connectUrl(PathRequest r) {
        return auth.presign(r.target(), null, java.time.Duration.ofMinutes(5)).toString();
    }

    /**
     * Checks that the credentials every API of {@code plan} needs are there, and fetches tokens, before the run: a
     * missing variable or client is one line before anything is sent, and no request times a token fetch.
     *
     * @throws IllegalArgumentException naming what is missing (never a secret)
     */
    public void prepare(PathPlan plan) {
        List<io.vpcanary.access.Target> targets = plan.requests().stream().map(PathRequest::target).toList();
        auth.prepare(targets);
        auth.fetchTokens(targets);
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
