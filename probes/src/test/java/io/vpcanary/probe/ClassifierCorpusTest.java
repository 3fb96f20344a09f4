package io.vpcanary.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.aws.ErrorCorpus;
import io.vpcanary.aws.ErrorCorpus.Entry;
import io.vpcanary.estate.AuthType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The classifier against every real API Gateway answer of the corpus. */
class ClassifierCorpusTest {

    static Stream<Entry> entries() {
        return ErrorCorpus.entries().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void everyRealAnswerGetsItsClass(Entry e) {
        assertThat(Classifier.ofResponse(e.status(), e.errorType(), e.body(), AuthType.valueOf(e.auth())))
                .as("%s (%s)", e.id(), e.source().url())
                .isEqualTo(ErrorClass.valueOf(e.errorClass()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void everyEntryIsItsOwnShapeAndNamesASource(Entry e) {
        assertThat(e.bodyMatches(e.body())).as("body of %s matches its bodyPattern", e.id()).isTrue();
        assertThat(e.source().url()).startsWith("https://");
        assertThat(e.confirmed() || (e.note() != null && !e.note().isBlank()))
                .as("%s: an unconfirmed entry says why", e.id()).isTrue();
    }

    @Test
    void theCorpusCoversEveryClassTheClassifierTellsApartFromAnAnswer() {
        List<String> covered = ErrorCorpus.entries().stream().map(Entry::errorClass).distinct().toList();
        assertThat(covered).contains("POLICY_DENIED", "FORBIDDEN", "AUTH_DENIED", "THROTTLED", "HTTP_4XX",
                "HTTP_5XX");
    }

    @Test
    void bothEndingsOfAPolicyDenialAreRecognisedAndALambdaAuthorizerDenyIsNot() {
        assertThat(ErrorCorpus.entry("policy-explicit-deny").body()).endsWith("with an explicit deny\"}");
        assertThat(ErrorCorpus.entry("policy-no-allow").body()).doesNotContain("explicit deny");
        assertThat(ErrorCorpus.entry("lambda-authorizer-explicit-deny").body())
                .doesNotContain(Classifier.POLICY_DENIED_MARKER);
    }

    @Test
    void missingAuthenticationTokenIsAnAuthRefusalOnlyOnAnIamApi() {
        Entry e = ErrorCorpus.entry("iam-missing-token");
        assertThat(Classifier.ofResponse(e.status(), e.errorType(), e.body(), AuthType.IAM))
                .isEqualTo(ErrorClass.AUTH_DENIED);
        assertThat(Classifier.ofResponse(e.status(), e.errorType(), e.body(), AuthType.COGNITO))
                .isEqualTo(ErrorClass.FORBIDDEN);
    }

    @ParameterizedTest(name = "{0} is refused by {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "policy-explicit-deny, the API's resource policy",
            "policy-no-allow, the API's resource policy",
            "policy-domain-explicit-deny, the private custom domain's policy",
            "policy-domain-no-allow, the private custom domain's policy",
            "policy-endpoint-explicit-deny, the VPC endpoint policy",
            "policy-endpoint-no-allow, the VPC endpoint policy",
            "jwt-invalid-token, the authorizer"})
    void aRefusalNamesThePolicyLayerOrAuthorizerThatRefused(String id, String layer) {
        Entry e = ErrorCorpus.entry(id);
        Classifier.Classification c = Classifier.classify(AuthType.valueOf(e.auth()), e.status(), e.errorType(),
                e.body(), null, null);
        assertThat(c.detail()).contains(", refused by " + layer);
    }

    @Test
    void aSigningRegionMismatchIsAnAuthRefusalNamedAsSuchAndNoOtherRefusalIs() {
        Entry e = ErrorCorpus.entry("iam-wrong-region");
        Classifier.Classification c = Classifier.classify(AuthType.IAM, e.status(), e.errorType(), e.body(), null,
                null);
        assertThat(c.errorClass()).isEqualTo(ErrorClass.AUTH_DENIED);
        assertThat(c.detail()).contains(Classifier.SIGNING_REGION_MISMATCH);
        Entry bad = ErrorCorpus.entry("iam-bad-signature");
        assertThat(Classifier.classify(AuthType.IAM, bad.status(), bad.errorType(), bad.body(), null, null).detail())
                .doesNotContain(Classifier.SIGNING_REGION_MISMATCH);
        assertThat(ErrorCorpus.entries().stream().filter(x -> Classifier.signingRegionMismatch(x.body()))
                .map(Entry::id)).containsExactly("iam-wrong-region");
    }
}
