package io.vpcanary.lab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.EstateLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code vpcanary validate} and the lab agree on every policy document of the lab's policy tests and of the demo
 * estate: validate accepts a document exactly when the lab serves it, and refuses it with the lab's message at the
 * document's field. ({@link Policies#policy} makes the same check for every policy a lab test parses.)
 */
class ValidateAgreesWithTheLabTest {

    /** Every policy of {@link ParseErrorsTest} (refused), and of {@link StatementMatchingTest} and {@link ConditionTest} (served). */
    static Stream<Arguments> policies() {
        Stream<Arguments> refused = ParseErrorsTest.malformed().map(a -> Arguments.of(a.get()[0], false));
        Stream<String> statements = Stream.of(StatementMatchingTest.principals(), StatementMatchingTest.actions(),
                        StatementMatchingTest.resources())
                .flatMap(s -> s)
                .map(a -> (String) a.get()[1]);
        Stream<String> conditions = Stream.concat(ConditionTest.singleKey(), ConditionTest.severalKeys())
                .map(a -> (String) a.get()[0])
                .distinct()
                .map(c -> "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\","
                        + " \"Resource\": \"execute-api:/*\", \"Condition\": " + c + "}");
        Stream<Arguments> served = Stream.concat(statements, conditions)
                .map(s -> Arguments.of("{\"Version\": \"2012-10-17\", \"Statement\": " + s + "}", true));
        return Stream.concat(refused, served);
    }

    @ParameterizedTest(name = "{0} -> served: {1}")
    @MethodSource("policies")
    void validateAcceptsExactlyWhatTheLabServes(String policy, boolean served) {
        JsonNode document = Policies.json(policy);
        ValidatorAgreement.assertAgree(document);
        assertThat(ValidatorAgreement.validate(document).isEmpty()).isEqualTo(served);
    }

    @Test
    void everyPolicyOfTheDemoEstate() {
        var policies = EstateLoader.demo().apis().stream().map(Api::resourcePolicy)
                .filter(p -> p != null && !p.isNull()).toList();
        assertThat(policies).hasSizeGreaterThanOrEqualTo(2);
        for (JsonNode p : policies) {
            ValidatorAgreement.assertAgree(p);
            assertThat(ValidatorAgreement.validate(p)).isEmpty();
        }
    }

    @Test
    void aRoleWildcardPrincipalIsRefusedByBothAtThePrincipal() {
        JsonNode document = Policies.json("""
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                 "Principal": {"AWS": "arn:aws:iam::111122223333:role/*"},
                 "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}]}""");
        ValidatorAgreement.assertAgree(document);
        assertThat(ValidatorAgreement.validate(document)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("apis[2].resourcePolicy.Statement[0].Principal.AWS");
            assertThat(p.message()).startsWith("principal 'arn:aws:iam::111122223333:role/*' has a wildcard");
        });
    }
}
