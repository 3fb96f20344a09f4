package io.vpcanary.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.vpcanary.estate.SecretRef;
import io.vpcanary.metrics.MotoServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Secret references read from moto_server (Secrets Manager and SSM) through a WireMock proxy that counts the requests.
 * Every test uses names of its own: values are kept once per process.
 */
class SecretReferencesTest {

    private static final String PLAIN = "plain-secret-value-4d2e";
    private static final String JSON_VALUE = "json-client-secret-9a1f";
    private static final String SSM_VALUE = "ssm-ledger-token-c7b3";

    private static MotoServer moto;
    private static WireMockServer proxy;
    private static SecretsManagerClient seedSecrets;
    private static SsmClient seedSsm;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        proxy.start();
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(moto.uri().toString())));
        seedSecrets = SecretsManagerClient.builder().region(Region.US_EAST_1).endpointOverride(moto.uri())
                .credentialsProvider(MotoServer.FAKE).httpClient(UrlConnectionHttpClient.create()).build();
        seedSsm = SsmClient.builder().region(Region.US_EAST_1).endpointOverride(moto.uri())
                .credentialsProvider(MotoServer.FAKE).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        seedSecrets.close();
        seedSsm.close();
        proxy.stop();
        moto.close();
    }

    @BeforeEach
    void resetCount() {
        proxy.resetRequests();
    }

    private static SecretReferences references(String region) {
        URI through = URI.create(proxy.baseUrl());
        return SecretReferences.builder().credentials(MotoServer.FAKE).region(region)
                .secretsManagerEndpoint(through).ssmEndpoint(through).build();
    }

    private static int requests() {
        return proxy.getAllServeEvents().size();
    }

    private static String secret(String name, String value) {
        return seedSecrets.createSecret(b -> b.name(name).secretString(value)).arn();
    }

    @Test
    void aSecretStringIsReadWhole() {
        secret("vpcanary/plain", PLAIN);
        assertThat(references("us-east-1").resolve("secretsmanager:vpcanary/plain")).isEqualTo(PLAIN);
        assertThat(requests()).isEqualTo(1);
    }

    @Test
    void aKeyOfAJsonSecretIsReadAndTheSecretIsFetchedOnceForAllItsKeys() {
        secret("vpcanary/catalog", "{\"clientId\":\"catalog-client\",\"clientSecret\":\"" + JSON_VALUE + "\"}");
        SecretReferences refs = references("us-east-1");
        assertThat(refs.resolve("secretsmanager:vpcanary/catalog#clientSecret")).isEqualTo(JSON_VALUE);
        assertThat(refs.resolve("secretsmanager:vpcanary/catalog#clientId")).isEqualTo("catalog-client");
        assertThat(requests()).isEqualTo(1);
    }

    @Test
    void anSsmSecureStringIsDecrypted() {
        seedSsm.putParameter(b -> b.name("/vpcanary/ledger-token").value(SSM_VALUE).type(ParameterType.SECURE_STRING));
        assertThat(references("us-east-1").resolve("ssm:/vpcanary/ledger-token")).isEqualTo(SSM_VALUE);
        ServeEvent sent = proxy.getAllServeEvents().getFirst();
        assertThat(sent.getRequest().getHeader("X-Amz-Target")).isEqualTo("AmazonSSM.GetParameter");
        assertThat(sent.getRequest().getBodyAsString()).contains("\"WithDecryption\":true");
    }

    @Test
    void anArnIsReadInItsOwnRegion() {
        String arn = secret("vpcanary/by-arn", PLAIN);
        assertThat(arn).startsWith("arn:aws:secretsmanager:us-east-1:");
        // The configured region is another one: the ARN's wins (moto keeps secrets per region).
        assertThat(references("eu-west-1").resolve("secretsmanager:" + arn)).isEqualTo(PLAIN);
        assertThat(proxy.getAllServeEvents().getFirst().getRequest().getHeader("Authorization"))
                .contains("/us-east-1/secretsmanager/aws4_request");
    }

    @Test
    void aMissingSecretOrParameterIsOneLineNamingTheReference() {
        assertThatThrownBy(() -> references("us-east-1").resolve("secretsmanager:vpcanary/missing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read secretsmanager:vpcanary/missing: not found in us-east-1");
        assertThatThrownBy(() -> references("us-east-1").resolve("ssm:/vpcanary/missing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read ssm:/vpcanary/missing: not found in us-east-1");
    }

    @Test
    void aFailureIsKeptForAWhileThenTheNextReadTriesAgain() {
        io.vpcanary.testing.MutableClock clock = new io.vpcanary.testing.MutableClock(
                java.time.Instant.parse("2026-11-28T00:00:00Z"));
        URI through = URI.create(proxy.baseUrl());
        SecretReferences refs = SecretReferences.builder().credentials(MotoServer.FAKE).region("us-east-1")
                .secretsManagerEndpoint(through).ssmEndpoint(through).clock(clock).build();
        assertThatThrownBy(() -> refs.resolve("secretsmanager:vpcanary/later")).hasMessageContaining("not found");
        secret("vpcanary/later", PLAIN);
        int afterCreate = requests();
        // within RETRY_AFTER the failure is answered from memory: no request to AWS
        assertThatThrownBy(() -> refs.resolve("secretsmanager:vpcanary/later")).hasMessageContaining("not found");
        assertThat(requests()).as("no read while the failure is kept").isEqualTo(afterCreate);
        clock.advance(SecretReferences.RETRY_AFTER);
        assertThat(refs.resolve("secretsmanager:vpcanary/later")).isEqualTo(PLAIN);
        assertThat(requests()).as("one read after the failure expired").isEqualTo(afterCreate + 1);
    }

    @Test
    void aMissingKeyOrANonJsonSecretNamesTheKeyNeverTheValue() {
        secret("vpcanary/keyless", "{\"other\":\"" + JSON_VALUE + "\"}");
        secret("vpcanary/not-json", PLAIN);
        SecretReferences refs = references("us-east-1");
        assertThatThrownBy(() -> refs.resolve("secretsmanager:vpcanary/keyless#clientSecret"))
                .hasMessage("cannot read secretsmanager:vpcanary/keyless#clientSecret: the secret has no key "
                        + "'clientSecret'");
        assertThatThrownBy(() -> refs.resolve("secretsmanager:vpcanary/not-json#clientSecret"))
                .hasMessage("cannot read secretsmanager:vpcanary/not-json#clientSecret: the secret is not a JSON "
                        + "object, so it has no key 'clientSecret'")
                .hasMessageNotContaining(PLAIN);
        assertThat(refs.cached("secretsmanager:vpcanary/not-json")).contains(PLAIN);
        assertThat(refs.toString()).doesNotContain(PLAIN).doesNotContain(JSON_VALUE);
    }

    @Test
    void aValueIsFetchedOncePerProcessEvenByConcurrentReadersAndNewInstances() throws Exception {
        secret("vpcanary/shared", PLAIN);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            SecretReferences refs = references("us-east-1");
            List<Callable<String>> reads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                reads.add(() -> refs.resolve("secretsmanager:vpcanary/shared"));
            }
            for (Future<String> f : pool.invokeAll(reads)) {
                assertThat(f.get()).isEqualTo(PLAIN);
            }
        } finally {
            pool.shutdown();
        }
        // Another instance (a runner building its auth material again) reads the kept value.
        assertThat(references("us-east-1").resolve("secretsmanager:vpcanary/shared")).isEqualTo(PLAIN);
        assertThat(requests()).isEqualTo(1);
    }

    @Test
    void cachedNeverReads() {
        secret("vpcanary/unread", PLAIN);
        assertThat(references("us-east-1").cached("secretsmanager:vpcanary/unread")).isEmpty();
        assertThat(requests()).isZero();
    }

    @Test
    void referencesParse() {
        assertThat(SecretRef.parse("secretsmanager:a/b#k")).isEqualTo(
                new SecretRef(SecretRef.Store.SECRETS_MANAGER, "a/b", "k"));
        assertThat(SecretRef.parse("ssm:/a/b")).isEqualTo(new SecretRef(SecretRef.Store.SSM, "/a/b", null));
        assertThat(SecretRef.parse("ssm:arn:aws:ssm:eu-west-1:111122223333:parameter/a").arnRegion())
                .isEqualTo("eu-west-1");
        for (String bad : List.of("vault:x", "secretsmanager:", "ssm:", "ssm:/a#k", "secretsmanager:a#", "x")) {
            assertThatThrownBy(() -> SecretRef.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a secret reference");
        }
    }
}
