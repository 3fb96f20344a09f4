package io.vpcanary.auth;

import java.io.IOException;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Puts a {@link TokenProvider}'s token on requests: as {@code Authorization: Bearer {token}} (the usual identity
 * source) or raw in a custom header (an HTTP API whose identity source is, say, {@code $request.header.X-Api-Token}).
 *
 * <p>Usable directly ({@link #headerName()}, {@link #headerValue()}) or as an OkHttp {@link Interceptor} that sets the
 * header on every request, asking the provider each time so that refreshed tokens are picked up. A provider failure
 * becomes an {@link IOException} for OkHttp.
 */
public final class TokenAuth implements Interceptor {

    private final TokenProvider provider;
    private final String headerName;
    private final boolean bearer;

    private TokenAuth(TokenProvider provider, String headerName, boolean bearer) {
        this.provider = Objects.requireNonNull(provider, "provider");
        if (headerName == null || !headerName.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("not an HTTP header name: " + headerName);
        }
        this.headerName = headerName;
        this.bearer = bearer;
    }

    /** {@code Authorization: Bearer {token}}. */
    public static TokenAuth bearer(TokenProvider provider) {
        return new TokenAuth(provider, "Authorization", true);
    }

    /** {@code {headerName}: {token}}, the token raw. */
    public static TokenAuth header(String headerName, TokenProvider provider) {
        return new TokenAuth(provider, headerName, false);
    }

    /** The header that carries the token. */
    public String headerName() {
        return headerName;
    }

    /** The header value for now: {@code Bearer {token}} or the raw token. */
    public String headerValue() {
        String token = provider.token();
        return bearer ? "Bearer " + token : token;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        String value;
        try {
            value = headerValue();
        } catch (SigningException e) {
            throw new IOException(e.getMessage(), e);
        }
        Request request = chain.request().newBuilder().header(headerName, value).build();
        return chain.proceed(request);
    }

    @Override
    public String toString() {
        return "TokenAuth[" + headerName + (bearer ? ": Bearer ***" : ": ***") + ", " + provider + "]";
    }
}
