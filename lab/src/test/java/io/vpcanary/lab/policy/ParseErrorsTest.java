package io.vpcanary.lab.policy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed or unsupported policies are refused with a message that says where and what. */
class ParseErrorsTest {

    private static final String OK = "\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"execute-api:Invoke\", \"Resource\": \"execute-api:/*\"";

    private static Arguments bad(String policy, String message) {
        return Arguments.of(policy, message);
    }

    /** A one-statement policy: {@link #OK} with one field replaced or added. */
    private static String with(String field) {
        String name = field.substring(0, field.indexOf(':'));
        StringBuilder s = new StringBuilder();
        for (String part : OK.split(", (?=\")")) {
            if (!part.startsWith(name + ":")) {
                s.append(part).append(", ");
            }
        }
        return "{\"Statement\": [{" + s + field + "}]}";
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad("[]", "at /: a policy is a mapping with Version and Statement, not an empty list"),
                bad("\"Allow\"", "at /: a policy is a mapping with Version and Statement, not a string"),
                bad("{}", "at /Statement: required field is missing"),
                bad("{\"Statement\": [], \"Statment\": []}", "at /Statment: unknown policy field 'Statment'"),
                bad("{\"Version\": \"2012-10-18\", \"Statement\": []}", "at /Version: Version must be \"2012-10-17\" or \"2008-10-17\", not \"2012-10-18\""),
                bad("{\"Version\": 2012, \"Statement\": []}", "at /Version: Version must be"),
                bad("{\"Statement\": \"Allow\"}", "at /Statement: expected a statement or a list of statements, not a string"),
                bad("{\"Statement\": [{" + OK + "}, 42]}", "at /Statement/1: a statement is a mapping, not a number"),
                bad("{\"Statement\": {" + OK + ", \"Actions\": \"*\"}}", "at /Statement/Actions: unknown statement field 'Actions'"),
                bad("{\"Statement\": [{\"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}]}", "at /Statement/0/Effect: required field is missing"),
                bad(with("\"Effect\": \"allow\""), "at /Statement/0/Effect: Effect must be \"Allow\" or \"Deny\", not \"allow\""),
                bad(with("\"Effect\": true"), "Effect must be \"Allow\" or \"Deny\", not a boolean"),
                bad(with("\"Sid\": 1"), "at /Statement/0/Sid: Sid must be a string"),
                bad("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}",
                        "at /Statement/0/Principal: required field is missing (Principal or NotPrincipal)"),
                bad(with("\"NotPrincipal\": \"*\""), "at /Statement/0: a statement has Principal or NotPrincipal, not both"),
                bad(with("\"NotAction\": \"*\""), "a statement has Action or NotAction, not both"),
                bad(with("\"NotResource\": \"*\""), "a statement has Resource or NotResource, not both"),
                bad("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Resource\": \"*\"}]}",
                        "at /Statement/0/Action: required field is missing (Action or NotAction)"),
                bad("{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"*\"}]}",
                        "at /Statement/0/Resource: required field is missing (Resource or NotResource)"),
                bad(with("\"Principal\": \"anyone\""), "at /Statement/0/Principal: a principal is \"*\" or {AWS: "),
                bad(with("\"Principal\": [\"*\"]"), "at /Statement/0/Principal: a principal is \"*\" or {AWS: \"*\" | ARN | account id | [...]}, not a list"),
                bad(with("\"Principal\": {\"Service\": \"lambda.amazonaws.com\"}"),
                        "at /Statement/0/Principal/Service: only AWS principals are supported by the lab, not 'Service'"),
                bad(with("\"Principal\": {}"), "at /Statement/0/Principal/AWS: required field is missing"),
                bad(with("\"Principal\": {\"AWS\": []}"), "at /Statement/0/Principal/AWS: expected a string or a non-empty list of strings, not an empty list"),
                bad(with("\"Principal\": {\"AWS\": 111122223333}"), "not a number (quote it, e.g. \"111122223333\")"),
                bad(with("\"Principal\": {\"AWS\": \"1111\"}"), "principal '1111' is not \"*\", a 12-digit account id or an ARN"),
                bad(with("\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/*\"}"),
                        "principal 'arn:aws:iam::111122223333:role/*' has a wildcard; IAM allows only \"*\" on its own"),
                bad(with("\"Action\": \"\""), "at /Statement/0/Action: an action cannot be empty"),
                bad(with("\"Action\": [\"execute-api:Invoke\", 7]"), "at /Statement/0/Action/1: expected a string, not a number"),
                bad(with("\"Action\": {\"a\": 1}"), "at /Statement/0/Action: expected a string or a non-empty list of strings, not a mapping"),
                bad(with("\"Resource\": \"/prod/GET/orders\""),
                        "resource '/prod/GET/orders' must be \"*\", an ARN, or execute-api:/{stage}/{METHOD}/{path}"),
                bad(with("\"Resource\": \"execute-api:prod/*\""), "resource 'execute-api:prod/*' must be"),
                bad(with("\"Resource\": \"arn:aws:execute-api:us-east-1\""), "resource 'arn:aws:execute-api:us-east-1' is not an ARN"),
                bad(with("\"Resource\": \"execute-api:/${aws:username}/*\""), "uses a policy variable; policy variables are not supported by the lab"),
                bad(with("\"Condition\": []"), "at /Statement/0/Condition: a Condition is a mapping of operator to {key: value(s)}, not an empty list"),
                bad(with("\"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}"),
                        "at /Statement/0/Condition/IpAddress: unsupported condition operator 'IpAddress' (supported: StringEquals, "),
                bad(with("\"Condition\": {\"stringequals\": {\"aws:SourceVpce\": \"v\"}}"), "unsupported condition operator 'stringequals'"),
                bad(with("\"Condition\": {\"ForSomeValues:StringEquals\": {\"aws:SourceVpce\": \"v\"}}"),
                        "unsupported condition operator 'ForSomeValues:StringEquals'"),
                bad(with("\"Condition\": {\"StringEqualsIfExistsIfExists\": {\"aws:SourceVpce\": \"v\"}}"), "unsupported condition operator"),
                bad(with("\"Condition\": {\"StringEquals\": \"aws:SourceVpce\"}"),
                        "at /Statement/0/Condition/StringEquals: a condition operator maps one or more keys to a value or a list of values"),
                bad(with("\"Condition\": {\"StringEquals\": {}}"), "a condition operator maps one or more keys"),
                bad(with("\"Condition\": {\"StringEquals\": {\"aws:SourceVpce\": null}}"),
                        "at /Statement/0/Condition/StringEquals/aws:SourceVpce: expected a string or a non-empty list of strings, not null"),
                bad(with("\"Condition\": {\"StringEquals\": {\"aws:SecureTransport\": true}}"), "not a boolean (quote it, e.g. \"true\")"),
                bad(with("\"Condition\": {\"StringEquals\": {\"\": \"x\"}}"), "a condition key name cannot be empty"),
                bad(with("\"Condition\": {\"StringLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::${aws:PrincipalAccount}:role/*\"}}"),
                        "uses a policy variable"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void refusedWithAClearMessage(String policy, String message) {
        assertThatThrownBy(() -> Policies.policy(policy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid resource policy at /")
                .hasMessageContaining(message);
    }

    @Test
    void noDocumentAtAll() {
        assertThatThrownBy(() -> ResourcePolicy.parse(null, "us-east-1", "111122223333", "a1b2c3d4e5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid resource policy at /: there is no policy document");
        assertThatThrownBy(() -> ResourcePolicy.parse(NullNode.getInstance(), "us-east-1", "111122223333", "a1b2c3d4e5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("there is no policy document");
    }

    @Test
    void theApiCoordinatesAreChecked() {
        var doc = Policies.json("{\"Statement\": []}");
        assertThatThrownBy(() -> ResourcePolicy.parse(doc, null, "111122223333", "a1b2c3d4e5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region 'null' must be non-empty");
        assertThatThrownBy(() -> ResourcePolicy.parse(doc, "us-east-1", "", "a1b2c3d4e5"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("account '' must be non-empty");
        assertThatThrownBy(() -> ResourcePolicy.parse(doc, "us-east-1", "111122223333", "a1/b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiId 'a1/b' must be non-empty without ':' or '/'");
    }

    @Test
    void theSupportedVariantsParse() {
        String everything = """
                {"Version": "2008-10-17", "Id": "p1", "Statement": {"Sid": "s", "Effect": "Deny",
                 "NotPrincipal": {"AWS": ["111122223333", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/r", "*"]},
                 "NotAction": ["execute-api:ManageConnections", "s3:*"],
                 "NotResource": ["*", "arn:aws:execute-api:*", "arn:aws:execute-api:us-*:api/*", "execute-api:/prod/GET/"],
                 "Condition": {"StringEquals": {"aws:SourceVpce": "v"}, "ForAllValues:StringNotLikeIfExists": {"k": ["a*", "b?"]},
                   "ForAnyValue:StringEqualsIgnoreCase": {"k2": "x"}, "StringNotEqualsIgnoreCaseIfExists": {"k3": ""}}}}
                """;
        assertThat(Policies.policy(everything).statementCount()).isEqualTo(1);
    }
}
