package io.vpcanary.lab.policy;

import static io.vpcanary.lab.policy.Decision.ALLOW;
import static io.vpcanary.lab.policy.Decision.EXPLICIT_DENY;
import static io.vpcanary.lab.policy.Decision.IMPLICIT_DENY;
import static io.vpcanary.lab.policy.Policies.OTHER_ACCOUNT_ROLE;
import static io.vpcanary.lab.policy.Policies.ROLE;
import static io.vpcanary.lab.policy.Policies.SESSION;
import static io.vpcanary.lab.policy.Policies.arn;
import static io.vpcanary.lab.policy.Policies.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Principal, Action and Resource matching of single Allow statements, and their Not... forms. */
class StatementMatchingTest {

    private static Arguments allow(String name, String principal, String action, String resource,
                                   RequestContext request, Decision expected) {
        String statement = "{\"Effect\": \"Allow\", " + principal + ", " + action + ", " + resource + "}";
        return Arguments.of(name, statement, request, expected);
    }

    private static final String ANYONE = "\"Principal\": \"*\"";
    private static final String INVOKE = "\"Action\": \"execute-api:Invoke\"";
    private static final String ALL = "\"Resource\": \"execute-api:/*\"";

    private static RequestContext get(String principal, String path) {
        return invoke(principal, "prod/GET/" + path);
    }

    private static RequestContext action(String action) {
        return new RequestContext(null, action, arn("prod/GET/orders"), Map.of());
    }

    static Stream<Arguments> principals() {
        String other = "arn:aws:iam::444455556666:user/alice";
        String user = "arn:aws:iam::111122223333:user/alice";
        return Stream.of(
                allow("* allows anonymous", ANYONE, INVOKE, ALL, get(null, "orders"), ALLOW),
                allow("* allows a role", ANYONE, INVOKE, ALL, get(ROLE, "orders"), ALLOW),
                allow("AWS * allows anonymous", "\"Principal\": {\"AWS\": \"*\"}", INVOKE, ALL, get(null, "orders"), ALLOW),
                allow("AWS [*] allows a session", "\"Principal\": {\"AWS\": [\"*\"]}", INVOKE, ALL, get(SESSION, "orders"), ALLOW),
                allow("account id allows its role", "\"Principal\": {\"AWS\": \"111122223333\"}", INVOKE, ALL, get(ROLE, "orders"), ALLOW),
                allow("account id allows its session", "\"Principal\": {\"AWS\": \"111122223333\"}", INVOKE, ALL, get(SESSION, "orders"), ALLOW),
                allow("account id allows its user", "\"Principal\": {\"AWS\": \"111122223333\"}", INVOKE, ALL, get(user, "orders"), ALLOW),
                allow("account id refuses another account", "\"Principal\": {\"AWS\": \"111122223333\"}", INVOKE, ALL, get(OTHER_ACCOUNT_ROLE, "orders"), IMPLICIT_DENY),
                allow("account id refuses anonymous", "\"Principal\": {\"AWS\": \"111122223333\"}", INVOKE, ALL, get(null, "orders"), IMPLICIT_DENY),
                allow("root allows its session", "\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}", INVOKE, ALL, get(SESSION, "orders"), ALLOW),
                allow("root refuses another account", "\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}", INVOKE, ALL, get(other, "orders"), IMPLICIT_DENY),
                allow("root refuses anonymous", "\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}", INVOKE, ALL, get(null, "orders"), IMPLICIT_DENY),
                allow("root of another partition refuses", "\"Principal\": {\"AWS\": \"arn:aws-cn:iam::111122223333:root\"}", INVOKE, ALL, get(ROLE, "orders"), IMPLICIT_DENY),
                allow("role allows itself", "\"Principal\": {\"AWS\": \"" + ROLE + "\"}", INVOKE, ALL, get(ROLE, "orders"), ALLOW),
                allow("role allows its session", "\"Principal\": {\"AWS\": \"" + ROLE + "\"}", INVOKE, ALL, get(SESSION, "orders"), ALLOW),
                allow("role with path allows its session", "\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/team/canary\"}", INVOKE, ALL, get(SESSION, "orders"), ALLOW),
                allow("role refuses another role's session", "\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/canaryX\"}", INVOKE, ALL, get(SESSION, "orders"), IMPLICIT_DENY),
                allow("role refuses the same name in another account", "\"Principal\": {\"AWS\": \"" + OTHER_ACCOUNT_ROLE + "\"}", INVOKE, ALL, get(SESSION, "orders"), IMPLICIT_DENY),
                allow("role refuses a user of the account", "\"Principal\": {\"AWS\": \"" + ROLE + "\"}", INVOKE, ALL, get(user, "orders"), IMPLICIT_DENY),
                allow("role refuses anonymous", "\"Principal\": {\"AWS\": \"" + ROLE + "\"}", INVOKE, ALL, get(null, "orders"), IMPLICIT_DENY),
                allow("session ARN allows that session", "\"Principal\": {\"AWS\": \"" + SESSION + "\"}", INVOKE, ALL, get(SESSION, "orders"), ALLOW),
                allow("session ARN refuses another session", "\"Principal\": {\"AWS\": \"" + SESSION + "\"}", INVOKE, ALL,
                        get("arn:aws:sts::111122223333:assumed-role/canary/other", "orders"), IMPLICIT_DENY),
                allow("session ARN refuses the role itself", "\"Principal\": {\"AWS\": \"" + SESSION + "\"}", INVOKE, ALL, get(ROLE, "orders"), IMPLICIT_DENY),
                allow("user ARN is exact", "\"Principal\": {\"AWS\": \"" + user + "\"}", INVOKE, ALL, get(user, "orders"), ALLOW),
                allow("user ARN is case-sensitive", "\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:user/Alice\"}", INVOKE, ALL, get(user, "orders"), IMPLICIT_DENY),
                allow("list: any entry", "\"Principal\": {\"AWS\": [\"" + other + "\", \"111122223333\"]}", INVOKE, ALL, get(ROLE, "orders"), ALLOW),
                allow("list: none", "\"Principal\": {\"AWS\": [\"" + other + "\", \"999999999999\"]}", INVOKE, ALL, get(ROLE, "orders"), IMPLICIT_DENY),
                allow("NotPrincipal role: another account is covered", "\"NotPrincipal\": {\"AWS\": \"" + ROLE + "\"}", INVOKE, ALL, get(OTHER_ACCOUNT_ROLE, "orders"), ALLOW),
                allow("NotPrincipal role: anonymous is covered", "\"NotPrincipal\": {\"AWS\": \"" + ROLE + "\"}", INVOKE, ALL, get(null, "orders"), ALLOW),
                allow("NotPrincipal role: the role is excluded", "\"NotPrincipal\": {\"AWS\": \"" + ROLE + "\"}", INVOKE, ALL, get(ROLE, "orders"), IMPLICIT_DENY),
                allow("NotPrincipal role: its session is excluded", "\"NotPrincipal\": {\"AWS\": \"" + ROLE + "\"}", INVOKE, ALL, get(SESSION, "orders"), IMPLICIT_DENY),
                allow("NotPrincipal *: nobody", "\"NotPrincipal\": {\"AWS\": \"*\"}", INVOKE, ALL, get(null, "orders"), IMPLICIT_DENY));
    }

    static Stream<Arguments> actions() {
        return Stream.of(
                allow("exact", ANYONE, INVOKE, ALL, action("execute-api:Invoke"), ALLOW),
                allow("case-insensitive request", ANYONE, INVOKE, ALL, action("EXECUTE-API:invoke"), ALLOW),
                allow("case-insensitive policy", ANYONE, "\"Action\": \"Execute-Api:INVOKE\"", ALL, action("execute-api:Invoke"), ALLOW),
                allow("service wildcard", ANYONE, "\"Action\": \"execute-api:*\"", ALL, action("execute-api:Invoke"), ALLOW),
                allow("everything", ANYONE, "\"Action\": \"*\"", ALL, action("execute-api:Invoke"), ALLOW),
                allow("?", ANYONE, "\"Action\": \"execute-api:Inv?ke\"", ALL, action("execute-api:Invoke"), ALLOW),
                allow("other action", ANYONE, "\"Action\": \"execute-api:ManageConnections\"", ALL, action("execute-api:Invoke"), IMPLICIT_DENY),
                allow("other service", ANYONE, "\"Action\": \"s3:*\"", ALL, action("execute-api:Invoke"), IMPLICIT_DENY),
                allow("prefix only", ANYONE, "\"Action\": \"execute-api:Inv\"", ALL, action("execute-api:Invoke"), IMPLICIT_DENY),
                allow("list", ANYONE, "\"Action\": [\"s3:GetObject\", \"execute-api:Invoke\"]", ALL, action("execute-api:Invoke"), ALLOW),
                allow("NotAction other", ANYONE, "\"NotAction\": \"execute-api:ManageConnections\"", ALL, action("execute-api:Invoke"), ALLOW),
                allow("NotAction same", ANYONE, "\"NotAction\": \"execute-api:invoke\"", ALL, action("execute-api:Invoke"), IMPLICIT_DENY),
                allow("NotAction wildcard", ANYONE, "\"NotAction\": \"execute-api:*\"", ALL, action("execute-api:Invoke"), IMPLICIT_DENY));
    }

    static Stream<Arguments> resources() {
        return Stream.of(
                allow("shorthand all", ANYONE, INVOKE, ALL, get(null, "orders"), ALLOW),
                allow("shorthand stage", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/*\"", get(null, "orders/42"), ALLOW),
                allow("shorthand other stage", ANYONE, INVOKE, "\"Resource\": \"execute-api:/beta/*\"", get(null, "orders"), IMPLICIT_DENY),
                allow("shorthand exact", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/GET/orders\"", get(null, "orders"), ALLOW),
                allow("shorthand exact is not a prefix", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/GET/orders\"", get(null, "orders/42"), IMPLICIT_DENY),
                allow("shorthand method", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/POST/orders\"", get(null, "orders"), IMPLICIT_DENY),
                allow("method wildcard", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/*/orders\"", get(null, "orders"), ALLOW),
                allow("path wildcard", ANYONE, INVOKE, "\"Resource\": \"execute-api:/*/GET/orders/*\"", get(null, "orders/42/lines"), ALLOW),
                allow("path wildcard needs the slash", ANYONE, INVOKE, "\"Resource\": \"execute-api:/*/GET/orders/*\"", get(null, "orders"), IMPLICIT_DENY),
                allow("? is one character", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/GET/orders/??\"", get(null, "orders/42"), ALLOW),
                allow("? is not two", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/GET/orders/?\"", get(null, "orders/42"), IMPLICIT_DENY),
                allow("root path", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/GET/\"", get(null, ""), ALLOW),
                allow("root path only", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/GET/\"", get(null, "orders"), IMPLICIT_DENY),
                allow("case-sensitive path", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/GET/Orders\"", get(null, "orders"), IMPLICIT_DENY),
                allow("case-sensitive method", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/get/orders\"", get(null, "orders"), IMPLICIT_DENY),
                allow("full ARN", ANYONE, INVOKE, "\"Resource\": \"" + arn("prod/GET/orders") + "\"", get(null, "orders"), ALLOW),
                allow("ARN with wildcard account and api", ANYONE, INVOKE, "\"Resource\": \"arn:aws:execute-api:us-east-1:*:*/prod/*\"", get(null, "orders"), ALLOW),
                allow("ARN with wildcard region", ANYONE, INVOKE, "\"Resource\": \"arn:aws:execute-api:*:111122223333:ordrseast1/*\"", get(null, "orders"), ALLOW),
                allow("ARN of another region", ANYONE, INVOKE, "\"Resource\": \"arn:aws:execute-api:us-west-2:*:*/*\"", get(null, "orders"), IMPLICIT_DENY),
                allow("ARN of another account", ANYONE, INVOKE, "\"Resource\": \"arn:aws:execute-api:us-east-1:444455556666:*\"", get(null, "orders"), IMPLICIT_DENY),
                allow("ARN of another api", ANYONE, INVOKE, "\"Resource\": \"arn:aws:execute-api:us-east-1:111122223333:abcdefghij/*\"", get(null, "orders"), IMPLICIT_DENY),
                allow("ARN ? in region", ANYONE, INVOKE, "\"Resource\": \"arn:aws:execute-api:us-east-?:*:*/*\"", get(null, "orders"), ALLOW),
                allow("ARN field-final * crosses colons", ANYONE, INVOKE, "\"Resource\": \"arn:aws:execute-api:us-*:ordrseast1/*\"", get(null, "orders"), ALLOW),
                allow("ARN mid-field * does not cross a colon", ANYONE, INVOKE, "\"Resource\": \"arn:aws:execute-api:u*3:ordrseast1/*\"", get(null, "orders"), IMPLICIT_DENY),
                allow("ARN ? does not match a colon", ANYONE, INVOKE, "\"Resource\": \"arn:aws:execute-api:us-east-1?111122223333:*\"", get(null, "orders"), IMPLICIT_DENY),
                allow("ARN wildcard in every field", ANYONE, INVOKE, "\"Resource\": \"arn:*:*:*:*:*\"", get(null, "orders"), ALLOW),
                allow("star resource", ANYONE, INVOKE, "\"Resource\": \"*\"", get(null, "orders"), ALLOW),
                allow("list of resources", ANYONE, INVOKE, "\"Resource\": [\"execute-api:/beta/*\", \"execute-api:/prod/GET/*\"]", get(null, "orders"), ALLOW),
                allow("multiple stars", ANYONE, INVOKE, "\"Resource\": \"execute-api:/*/*/*/lines\"", get(null, "orders/42/lines"), ALLOW),
                allow("empty segment", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/GET/orders//lines\"", get(null, "orders//lines"), ALLOW),
                allow("empty segment is not a wildcard", ANYONE, INVOKE, "\"Resource\": \"execute-api:/prod/GET/orders//lines\"", get(null, "orders/42/lines"), IMPLICIT_DENY),
                allow("NotResource other stage", ANYONE, INVOKE, "\"NotResource\": \"execute-api:/beta/*\"", get(null, "orders"), ALLOW),
                allow("NotResource same stage", ANYONE, INVOKE, "\"NotResource\": \"execute-api:/prod/*\"", get(null, "orders"), IMPLICIT_DENY),
                allow("NotResource list", ANYONE, INVOKE, "\"NotResource\": [\"execute-api:/beta/*\", \"execute-api:/*/GET/orders\"]", get(null, "orders"), IMPLICIT_DENY));
    }

    @ParameterizedTest(name = "principal: {0}")
    @MethodSource("principals")
    void principal(String name, String statement, RequestContext request, Decision expected) {
        assertThat(Policies.statement(statement).evaluate(request)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "action: {0}")
    @MethodSource("actions")
    void action(String name, String statement, RequestContext request, Decision expected) {
        assertThat(Policies.statement(statement).evaluate(request)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "resource: {0}")
    @MethodSource("resources")
    void resource(String name, String statement, RequestContext request, Decision expected) {
        assertThat(Policies.statement(statement).evaluate(request)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "the same statement as Deny: {0}")
    @MethodSource({"principals", "actions", "resources"})
    void denyMirrorsAllow(String name, String statement, RequestContext request, Decision expected) {
        String deny = statement.replace("\"Effect\": \"Allow\"", "\"Effect\": \"Deny\"");
        assertThat(Policies.statement(deny).evaluate(request)).isEqualTo(expected == ALLOW ? EXPLICIT_DENY : IMPLICIT_DENY);
    }
}
