package io.vpcanary.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.auth.ClientCredentialsTokenProvider;
import io.vpcanary.auth.TokenAuth;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.http.LabClients;
import io.vpcanary.labenv.LabEnvironment;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo estate with the HTTP API {@code payments} on the {@code $default} stage, through the lab's real front
 * doors: served at the root with the JWT authorizer still in force, and a stage segment in front of the path is no
 * route (404 Not Found, as an HTTP API answers).
 */
class LabDefaultStageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAYMENTS = "    type: HTTP\n    endpointType: REGIONAL\n    stage: prod\n";

    @TempDir
    static Path state;

    static Lab lab;

    @BeforeAll
    static void start() throws Exception {
        String text = EstateLoader.demoText();
        assertThat(text).contains(PAYMENTS);
        text = text.replace(PAYMENTS, PAYMENTS.replace("prod", "$default"));
        Path file = state.resolve("default-stage-estate.yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        lab = Lab.start(EstateLoader.load(file), file, Lab.Options.ephemeral(state));
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    private static OkHttpClient client(LabEnvironment.Endpoint e) throws Exception {
        return LabClients.client(lab.ca(), LabClients.view(lab.estate(), lab.plan(), e.view())).build();
    }

    private static Request request(LabEnvironment.Endpoint e, String path) {
        String base = e.url().endsWith("/") ? e.url().substring(0, e.url().length() - 1) : e.url();
        Request.Builder r = new Request.Builder().url(base + path);
        e.headers().forEach(r::header);
        return r.build();
    }

    @Test
    void theDefaultStageAnswersAtTheRootBehindItsJwtAuthorizer() throws Exception {
        LabEnvironment.Client c = lab.environment().identityProvider().clients().getFirst();
        ClientCredentialsTokenProvider tokens = ClientCredentialsTokenProvider.builder(
                URI.create(lab.environment().identityProvider().tokenEndpoint()), c.clientId(), c.clientSecret())
                .scopes(c.scopes()).build();
        List<LabEnvironment.Endpoint> payments = lab.environment().endpoints().stream()
                .filter(e -> e.api().equals("payments")).toList();
        assertThat(payments).extracting(LabEnvironment.Endpoint::url).containsExactly(
                "https://paymnteast.execute-api.us-east-1.amazonaws.com:" + lab.environment().httpsPort() + "/");
        LabEnvironment.Endpoint e = payments.getFirst();
        OkHttpClient authorized = client(e).newBuilder().addInterceptor(TokenAuth.bearer(tokens)).build();
        try (Response r = authorized.newCall(request(e, "/payments")).execute()) {
            assertThat(r.code()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body().string());
            assertThat(body.get("stage").asText()).isEqualTo("$default");
            assertThat(body.get("path").asText()).isEqualTo("/payments");
            assertThat(body.get("target").asText()).isEqualTo("payments-svc");
        }
        try (Response r = client(e).newCall(request(e, "/payments")).execute()) {
            assertThat(r.code()).isEqualTo(401);
            assertThat(r.body().string()).isEqualTo("{\"message\":\"Unauthorized\"}");
        }
        for (String path : List.of("/prod/payments", "/$default/payments", "/nothing")) {
            try (Response r = authorized.newCall(request(e, path)).execute()) {
                assertThat(r.code()).as(path).isEqualTo(404);
                assertThat(r.body().string()).isEqualTo("{\"message\":\"Not Found\"}");
                assertThat(r.header("x-amzn-ErrorType")).isNull();
                assertThat(r.header("apigw-requestid")).isNotBlank();
            }
        }
    }
}
