package io.vpcanary.lab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Condition operators, one Allow statement at a time: the statement allows exactly when its Condition
 * holds, so ALLOW means "the condition is true" and IMPLICIT_DENY "false".
 */
class ConditionTest {

    private static final String MISSING = null;

    /** A case: the Condition block's JSON, the request's aws:SourceVpce (null: missing), whether it holds. */
    private static Arguments c(String condition, String sourceVpce, boolean holds) {
        return Arguments.of(condition, sourceVpce, holds);
    }

    static Stream<Arguments> singleKey() {
        String eq = "{\"StringEquals\": {\"aws:SourceVpce\": \"vpce-a\"}}";
        String eqList = "{\"StringEquals\": {\"aws:SourceVpce\": [\"vpce-a\", \"vpce-b\"]}}";
        String ne = "{\"StringNotEquals\": {\"aws:SourceVpce\": \"vpce-a\"}}";
        String neList = "{\"StringNotEquals\": {\"aws:SourceVpce\": [\"vpce-a\", \"vpce-b\"]}}";
        String eqIc = "{\"StringEqualsIgnoreCase\": {\"aws:SourceVpce\": [\"VPCE-A\", \"Vpce-B\"]}}";
        String neIc = "{\"StringNotEqualsIgnoreCase\": {\"aws:SourceVpce\": [\"VPCE-A\", \"Vpce-B\"]}}";
        String like = "{\"StringLike\": {\"aws:SourceVpce\": \"vpce-0e*\"}}";
        String likeQ = "{\"StringLike\": {\"aws:SourceVpce\": \"vpce-?\"}}";
        String likeMulti = "{\"StringLike\": {\"aws:SourceVpce\": \"*-0*1*\"}}";
        String likeList = "{\"StringLike\": {\"aws:SourceVpce\": [\"vpce-0e*\", \"vpce-0b*\"]}}";
        String notLike = "{\"StringNotLike\": {\"aws:SourceVpce\": [\"vpce-0e*\", \"vpce-0b*\"]}}";
        return Stream.of(
                c(eq, "vpce-a", true), c(eq, "vpce-b", false), c(eq, MISSING, false), c(eq, "VPCE-A", false),
                c(eq, "vpce-a ", false), c(eq, "", false),
                c("{\"StringEquals\": {\"aws:SourceVpce\": \"vpce-*\"}}", "vpce-a", false),
                c("{\"StringEquals\": {\"aws:SourceVpce\": \"vpce-*\"}}", "vpce-*", true),
                c("{\"StringEquals\": {\"aws:SourceVpce\": \"\"}}", "", true),
                c("{\"StringEquals\": {\"AWS:SOURCEVPCE\": \"vpce-a\"}}", "vpce-a", true),
                c(eqList, "vpce-a", true), c(eqList, "vpce-b", true), c(eqList, "vpce-c", false), c(eqList, MISSING, false),
                c(ne, "vpce-a", false), c(ne, "vpce-b", true), c(ne, MISSING, true), c(ne, "", true),
                c(neList, "vpce-a", false), c(neList, "vpce-b", false), c(neList, "vpce-c", true), c(neList, MISSING, true),
                c(eqIc, "vpce-a", true), c(eqIc, "VPCE-b", true), c(eqIc, "vpce-c", false), c(eqIc, MISSING, false),
                c(neIc, "vpce-a", false), c(neIc, "VPCE-B", false), c(neIc, "vpce-c", true), c(neIc, MISSING, true),
                c(like, "vpce-0e1a00000000000a1", true), c(like, "vpce-0e", true), c(like, "vpce-0b1a00000000000c3", false),
                c(like, "VPCE-0E1A", false), c(like, MISSING, false),
                c(likeQ, "vpce-a", true), c(likeQ, "vpce-", false), c(likeQ, "vpce-ab", false),
                c(likeMulti, "vpce-0e1a", true), c(likeMulti, "vpce-0e2b", false), c(likeMulti, "x-01", true),
                c(likeList, "vpce-0b1a00000000000c3", true), c(likeList, "vpce-12", false),
                c(notLike, "vpce-0e1a00000000000a1", false), c(notLike, "vpce-0b1", false), c(notLike, "vpce-12", true),
                c(notLike, MISSING, true),
                c("{\"StringEqualsIfExists\": {\"aws:SourceVpce\": \"vpce-a\"}}", MISSING, true),
                c("{\"StringEqualsIfExists\": {\"aws:SourceVpce\": \"vpce-a\"}}", "vpce-a", true),
                c("{\"StringEqualsIfExists\": {\"aws:SourceVpce\": \"vpce-a\"}}", "vpce-b", false),
                c("{\"StringNotEqualsIfExists\": {\"aws:SourceVpce\": [\"vpce-a\", \"vpce-b\"]}}", MISSING, true),
                c("{\"StringNotEqualsIfExists\": {\"aws:SourceVpce\": [\"vpce-a\", \"vpce-b\"]}}", "vpce-b", false),
                c("{\"StringNotEqualsIfExists\": {\"aws:SourceVpce\": [\"vpce-a\", \"vpce-b\"]}}", "vpce-c", true),
                c("{\"StringEqualsIgnoreCaseIfExists\": {\"aws:SourceVpce\": \"vpce-a\"}}", "VPCE-A", true),
                c("{\"StringEqualsIgnoreCaseIfExists\": {\"aws:SourceVpce\": \"vpce-a\"}}", MISSING, true),
                c("{\"StringNotEqualsIgnoreCaseIfExists\": {\"aws:SourceVpce\": \"vpce-a\"}}", "VPCE-A", false),
                c("{\"StringLikeIfExists\": {\"aws:SourceVpce\": \"vpce-0e*\"}}", MISSING, true),
                c("{\"StringLikeIfExists\": {\"aws:SourceVpce\": \"vpce-0e*\"}}", "vpce-0b", false),
                c("{\"StringNotLikeIfExists\": {\"aws:SourceVpce\": \"vpce-0e*\"}}", "vpce-0e1", false),
                c("{\"StringNotLikeIfExists\": {\"aws:SourceVpce\": \"vpce-0e*\"}}", MISSING, true),
                c("{\"ForAnyValue:StringEquals\": {\"aws:SourceVpce\": [\"vpce-a\", \"vpce-b\"]}}", "vpce-b", true),
                c("{\"ForAnyValue:StringEquals\": {\"aws:SourceVpce\": [\"vpce-a\", \"vpce-b\"]}}", "vpce-c", false),
                c("{\"ForAnyValue:StringEquals\": {\"aws:SourceVpce\": [\"vpce-a\", \"vpce-b\"]}}", MISSING, false),
                c("{\"ForAnyValue:StringEqualsIfExists\": {\"aws:SourceVpce\": \"vpce-a\"}}", MISSING, true),
                c("{\"ForAnyValue:StringNotEquals\": {\"aws:SourceVpce\": \"vpce-a\"}}", "vpce-a", false),
                c("{\"ForAnyValue:StringNotEquals\": {\"aws:SourceVpce\": \"vpce-a\"}}", "vpce-c", true),
                c("{\"ForAnyValue:StringNotEquals\": {\"aws:SourceVpce\": \"vpce-a\"}}", MISSING, false),
                c("{\"ForAnyValue:StringLike\": {\"aws:SourceVpce\": \"vpce-*\"}}", "vpce-c", true),
                c("{\"ForAllValues:StringEquals\": {\"aws:SourceVpce\": [\"vpce-a\", \"vpce-b\"]}}", "vpce-a", true),
                c("{\"ForAllValues:StringEquals\": {\"aws:SourceVpce\": [\"vpce-a\", \"vpce-b\"]}}", "vpce-c", false),
                c("{\"ForAllValues:StringEquals\": {\"aws:SourceVpce\": [\"vpce-a\", \"vpce-b\"]}}", MISSING, true),
                c("{\"ForAllValues:StringNotLike\": {\"aws:SourceVpce\": \"vpce-0e*\"}}", "vpce-0e1", false),
                c("{\"ForAllValues:StringNotLike\": {\"aws:SourceVpce\": \"vpce-0e*\"}}", MISSING, true),
                c("{\"ForAllValues:StringEqualsIgnoreCaseIfExists\": {\"aws:SourceVpce\": \"VPCE-A\"}}", "vpce-a", true));
    }

    @ParameterizedTest(name = "{0} with aws:SourceVpce={1} -> {2}")
    @MethodSource("singleKey")
    void singleKey(String condition, String sourceVpce, boolean holds) {
        RequestContext request = sourceVpce == null
                ? Policies.invoke(null, "prod/GET/orders")
                : Policies.invoke(null, "prod/GET/orders", "aws:SourceVpce", sourceVpce);
        assertThat(allowIf(condition).evaluate(request)).isEqualTo(holds ? Decision.ALLOW : Decision.IMPLICIT_DENY);
        assertThat(denyIf(condition).evaluate(request)).isEqualTo(holds ? Decision.EXPLICIT_DENY : Decision.IMPLICIT_DENY);
    }

    static Stream<Arguments> severalKeys() {
        String twoOperators = "{\"StringEquals\": {\"aws:SourceVpce\": \"vpce-a\"},"
                + " \"StringLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::111122223333:role/*\"}}";
        String twoKeys = "{\"StringEquals\": {\"aws:SourceVpce\": \"vpce-a\", \"aws:SourceVpc\": \"vpc-1\"}}";
        String role = "arn:aws:iam::111122223333:role/canary";
        String user = "arn:aws:iam::111122223333:user/alice";
        return Stream.of(
                Arguments.of(twoOperators, new String[] {"aws:SourceVpce", "vpce-a", "aws:PrincipalArn", role}, true),
                Arguments.of(twoOperators, new String[] {"aws:SourceVpce", "vpce-a", "aws:PrincipalArn", user}, false),
                Arguments.of(twoOperators, new String[] {"aws:SourceVpce", "vpce-b", "aws:PrincipalArn", role}, false),
                Arguments.of(twoOperators, new String[] {"aws:SourceVpce", "vpce-a"}, false),
                Arguments.of(twoKeys, new String[] {"aws:SourceVpce", "vpce-a", "aws:SourceVpc", "vpc-1"}, true),
                Arguments.of(twoKeys, new String[] {"aws:sourcevpce", "vpce-a", "AWS:SOURCEVPC", "vpc-1"}, true),
                Arguments.of(twoKeys, new String[] {"aws:SourceVpce", "vpce-a", "aws:SourceVpc", "vpc-2"}, false),
                Arguments.of(twoKeys, new String[] {"aws:SourceVpce", "vpce-a"}, false),
                Arguments.of(twoKeys, new String[] {}, false));
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @MethodSource("severalKeys")
    void allConditionsMustHold(String condition, String[] keys, boolean holds) {
        RequestContext request = Policies.invoke(null, "prod/GET/orders", keys);
        assertThat(allowIf(condition).evaluate(request)).isEqualTo(holds ? Decision.ALLOW : Decision.IMPLICIT_DENY);
    }

    private static ResourcePolicy allowIf(String condition) {
        return Policies.statement("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\","
                + " \"Resource\": \"execute-api:/*\", \"Condition\": " + condition + "}");
    }

    private static ResourcePolicy denyIf(String condition) {
        return Policies.statement("{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\","
                + " \"Resource\": \"execute-api:/*\", \"Condition\": " + condition + "}");
    }
}
