package io.vpcanary.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.Auth;
import io.vpcanary.estate.AuthType;
import io.vpcanary.labenv.LabEnvironment;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forged tokens of the matrix, the lab's auth material, and redaction of JWT-shaped text. */
class TokenForgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T20:00:00Z");
    private static final String REAL = jwt("{\"alg\":\"RS256\",\"kid\":\"lab-key\",\"typ\":\"JWT\"}",
            "{\"iss\":\"http://127.0.0.1:9/lab\",\"aud\":\"catalog\",\"client_id\":\"catalog-client\","
                    + "\"scope\":\"catalog/read\",\"exp\":" + (NOW.getEpochSecond() + 3600) + ",\"iat\":"
                    + NOW.getEpochSecond() + "}") + ".c2lnbmF0dXJl";

    private static String jwt(String header, String payload) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return b.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode part(String token, int i) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.", -1)[i]));
    }

    private final TokenForge forge = new TokenForge(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void eachForgedTokenSpoilsExactlyOneClaim() throws Exception {
        JsonNode real = part(REAL, 1);
        Map<Refusal, String> changed = Map.of(Refusal.EXPIRED, "exp", Refusal.WRONG_AUDIENCE, "aud",
                Refusal.WRONG_ISSUER, "iss", Refusal.MISSING_SCOPE, "scope");
        for (var e : changed.entrySet()) {
            String forged = forge.forge(REAL, e.getKey());
            JsonNode claims = part(forged, 1);
            assertThat(claims.get(e.getValue())).as(e.getKey().label()).isNotEqualTo(real.get(e.getValue()));
            assertThat(claims.get("sub")).isEqualTo(real.get("sub"));
            assertThat(part(forged, 0).get("kid").asText()).isEqualTo("lab-key");
            assertThat(part(forged, 0).get("alg").asText()).isEqualTo("RS256");
            assertThat(forged.split("\\.")[2]).isNotEqualTo("c2lnbmF0dXJl").hasSizeGreaterThan(300);
        }
        assertThat(part(forge.forge(REAL, Refusal.EXPIRED), 1).get("exp").asLong())
                .isEqualTo(NOW.getEpochSecond() - 3600);
        assertThat(part(forge.forge(REAL, Refusal.WRONG_AUDIENCE), 1).get("client_id").asText())
                .isEqualTo(TokenForge.WRONG_AUDIENCE);
    }

    @Test
    void algNoneKeepsClaimsAndDropsTheSignature() throws Exception {
        String none = forge.forge(REAL, Refusal.ALG_NONE);
        assertThat(none).endsWith(".");
        assertThat(part(none, 0).get("alg").asText()).isEqualTo("none");
        assertThat(part(none, 1)).isEqualTo(part(REAL, 1));
    }

    @Test
    void notAJwtIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> forge.forge("opaque-secret-token", Refusal.EXPIRED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JWT").hasMessageNotContaining("opaque-secret-token");
    }

    @Test
    void labMaterialFindsTheApisClientAndItsSpareScopes() {
        Auth auth = new Auth(AuthType.JWT, "http://idp/lab", List.of("catalog"), List.of("catalog/read"), null, null,
                null, null, null, null, null, null);
        Api api = new Api("catalog", null, null, "prod", auth, null, null, null, null, null, null, null, null, null, null, null);
        LabEnvironment env = new LabEnvironment(null, null, null, 443, Map.of(), List.of(), null,
                new LabEnvironment.Credentials("AKIAEXAMPLE", "lab-secret-key"),
                new LabEnvironment.IdentityProvider("http://127.0.0.1:9/lab", "http://127.0.0.1:9/lab/token",
                        List.of(new LabEnvironment.Client("orders", "orders-client", "s1", List.of("orders/read")),
                                new LabEnvironment.Client("catalog", "catalog-client", "s2",
                                        List.of("catalog/read", "catalog/admin")))));
        AuthMaterial m = AuthMaterial.lab(env, name -> null);
        assertThat(m.otherScopes(api)).containsExactly("catalog/admin");
        assertThat(m.clientCredentials(api, auth.scopes()).toString()).contains("catalog-client")
                .doesNotContain("s2");
        assertThat(m.awsCredentials().resolveCredentials().accessKeyId()).isEqualTo("AKIAEXAMPLE");
        Api other = new Api("billing", null, null, "prod", auth, null, null, null, null, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> m.clientCredentials(other, List.of()))
                .hasMessageContaining("no client for API 'billing'");
    }

    @Test
    void redactorRemovesJwtShapedText() {
        String text = "echo: " + REAL + " and raw x-token: tok-123456";
        String out = Redactor.forHeaders(Map.of()).with(List.of("tok-123456")).redact(text);
        assertThat(out).doesNotContain("eyJ").doesNotContain("tok-123456").contains(Redactor.MASK);
    }
}
