package io.vpcanary.auth;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * An OkHttp {@link Interceptor} that signs each request with a {@link SigV4RequestSigner} at send time.
 *
 * <p>Install it as a network interceptor ({@code OkHttpClient.Builder.addNetworkInterceptor}) so that it sees the
 * request exactly as it goes on the wire (with {@code Host}, {@code Content-Type} and {@code Content-Length}) and signs
 * every attempt afresh, retries and redirects included. As an application interceptor it signs once per call and
 * covers the headers set by the caller.
 *
 * <p>The body is read once to hash it and sent as those exact bytes; a one-shot or duplex body cannot be signed and
 * fails the call with an {@link IOException}. Signing failures surface as {@link IOException}s whose messages name no
 * secret.
 */
public final class SigV4Interceptor implements Interceptor {

    private final SigV4RequestSigner signer;

    public SigV4Interceptor(SigV4RequestSigner signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        RequestBody body = request.body();
        byte[] bytes = null;
        if (body != null) {
            if (body.isOneShot() || body.isDuplex()) {
                throw new IOException("cannot SigV4-sign a one-shot or duplex body: " + request.method() + " "
                        + request.url().encodedPath());
            }
            Buffer buffer = new Buffer();
            body.writeTo(buffer);
            bytes = buffer.readByteArray();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : request.headers().names()) {
            headers.put(name, request.headers(name));
        }
        Map<String, String> auth;
        try {
            auth = signer.sign(request.method(), request.url().scheme(), request.url().host(),
                    request.url().port() == okhttp3.HttpUrl.defaultPort(request.url().scheme()) ? -1
                            : request.url().port(),
                    request.url().encodedPath(), request.url().encodedQuery(), headers, bytes);
        } catch (SigningException | IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        Request.Builder signed = request.newBuilder();
        auth.forEach(signed::header);
        if (body != null) {
            signed.method(request.method(), RequestBody.create(bytes, body.contentType()));
        }
        return chain.proceed(signed.build());
    }

    @Override
    public String toString() {
        return "SigV4Interceptor[" + signer + "]";
    }
}
