package io.vpcanary.estate;

import static io.vpcanary.estate.EstateProblems.lineOf;
import static io.vpcanary.estate.EstateProblems.onlyProblem;
import static io.vpcanary.estate.EstateProblems.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Validation of private custom domains (access associations, the domain's own policy, base path mappings) and of VPC
 * endpoint policies, on the full demo estate with one edit each: one problem, at its line.
 */
class PrivateDomainValidationTest {

    private static String fullWith(String from, String to) {
        String text = EstateLoader.fullDemoText();
        assertThat(text).contains(from);
        return text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to));
    }

    /** The full demo with every occurrence of {@code from} (in each base path mapping of a domain) replaced. */
    private static String fullWithEverywhere(String from, String to) {
        String text = EstateLoader.fullDemoText();
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    @Test
    void theFullDemoLoadsWithItsSharedDomainAndPolicies() {
        Estate estate = EstateLoader.fullDemo();
        CustomDomain books = estate.api("ledger").orElseThrow().regions().getFirst().customDomains().getFirst();
        assertThat(books.associations()).extracting(AccessAssociation::vpcEndpoint)
                .containsExactly("vpce-0f1a00000000000a1", "vpce-0f1a00000000000b2");
        assertThat(books.executeApiArn("us-east-1", estate.account()))
                .isEqualTo("arn:aws:execute-api:us-east-1:111122223333:/domainnames/books.internal.example.com+bk7q2m9x4a");
        assertThat(estate.network().vpc("vpc-0f1a0000000000002").orElseThrow().account()).isEqualTo("444455556666");
    }

    @Test
    void anAssociationWithAnUnknownEndpointIsReportedAtItsLine() {
        String yaml = fullWithEverywhere("              - vpcEndpoint: vpce-0f1a00000000000b2",
                "              - vpcEndpoint: vpce-0f1a0000000000099");
        var p = problems(yaml, 2).getFirst();
        assertThat(p.field()).isEqualTo("apis[0].regions[0].customDomains[0].accessAssociations[0].vpcEndpoint");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "vpce-0f1a0000000000099"));
        assertThat(p.message()).contains("no VPC endpoint with id 'vpce-0f1a0000000000099'");
    }

    @Test
    void aBasePathMappedTwiceOnOneDomainIsAnError() {
        var p = onlyProblem(fullWith("            basePath: reports", "            basePath: ledger"));
        assertThat(p.field()).isEqualTo("apis[1].regions[0].customDomains[0].basePath");
        assertThat(p.message()).contains("already maps base path 'ledger'");
    }

    @Test
    void theDomainsSettingsAreTheSameInEachBasePathMapping() {
        var p = onlyProblem(fullWith("            domainNameId: bk7q2m9x4a\n            vpcEndpoint: vpce-0f1a00000000000a1\n"
                        + "            accessAssociations:\n              - vpcEndpoint: vpce-0f1a00000000000b2\n"
                        + "            policy:\n              Version: \"2012-10-17\"\n              Statement:\n"
                        + "                - Effect: Allow\n                  Principal: \"*\"\n"
                        + "                  Action: execute-api:Invoke\n                  Resource: execute-api:/*\n"
                        + "                - Effect: Deny\n                  Principal: \"*\"\n"
                        + "                  Action: execute-api:Invoke\n                  Resource: execute-api:/*\n"
                        + "                  Condition:\n                    StringNotEquals:\n"
                        + "                      aws:SourceVpce: [vpce-0f1a00000000000a1, vpce-0f1a00000000000b2]\n"
                        + "    resourcePolicy:\n      Version: \"2012-10-17\"\n      Statement:\n        - Effect: Allow\n"
                        + "          Principal: \"*\"\n          Action: execute-api:Invoke\n          Resource: execute-api:/*\n"
                        + "          Condition:\n            StringEquals:\n"
                        + "              aws:SourceVpce: [vpce-0f1a00000000000a1, vpce-0f1a00000000000b2, vpce-0f1a00000000000d4]",
                "            domainNameId: bk7q2m9x4a\n            vpcEndpoint: vpce-0f1a00000000000a1\n"
                        + "    resourcePolicy:\n      Version: \"2012-10-17\"\n      Statement:\n        - Effect: Allow\n"
                        + "          Principal: \"*\"\n          Action: execute-api:Invoke\n          Resource: execute-api:/*\n"
                        + "          Condition:\n            StringEquals:\n"
                        + "              aws:SourceVpce: [vpce-0f1a00000000000a1, vpce-0f1a00000000000b2, vpce-0f1a00000000000d4]"));
        assertThat(p.field()).isEqualTo("apis[1].regions[0].customDomains[0]");
        assertThat(p.message()).contains("is also mapped at").contains("must be the same in each base path mapping");
    }

    @Test
    void aDomainPolicyProblemIsReportedAtItsPointer() {
        String yaml = fullWithEverywhere("                    StringNotEquals:", "                    NumericLessThan:");
        var p = problems(yaml, 2).getFirst();
        assertThat(p.field()).isEqualTo("apis[0].regions[0].customDomains[0].policy.Statement[1].Condition.NumericLessThan");
        assertThat(p.message()).contains("unsupported condition operator");
    }

    @Test
    void anEndpointPolicyNamesApisByArnNotByTheShorthand() {
        String yaml = fullWith("            Resource: arn:aws:execute-api:us-east-1:111122223333:ledgrfull1/*",
                "            Resource: execute-api:/*");
        var p = onlyProblem(yaml);
        assertThat(p.field()).isEqualTo("network.vpcEndpoints[3].policy.Statement[0].Resource");
        assertThat(p.message()).contains("an endpoint policy names APIs by ARN");
    }

    @Test
    void aRegionalDomainHasNoPolicyAssociationsOrDomainNameId() {
        String text = EstateLoader.demoText();
        String regional = "          - domain: pay.example.com\n";
        String demo = text.replace("        id: paymnteast\n", "        id: paymnteast\n        customDomains:\n" + regional
                + "            domainNameId: abcd1234\n");
        var p = onlyProblem(demo);
        assertThat(p.field()).matches("apis\\[\\d+]\\.regions\\[0]\\.customDomains\\[0]\\.domainNameId");
        assertThat(p.line()).isEqualTo(lineOf(demo, "domainNameId"));
        assertThat(p.message()).isEqualTo("only private custom domains have a domainNameId");
    }

    @Test
    void routingRulesAreCheckedForPriorityConditionsAndTheirTarget() {
        var dup = onlyProblem(fullWith("              - priority: 20 ", "              - priority: 10 "));
        assertThat(dup.field()).isEqualTo("apis[3].regions[0].customDomains[0].routingRules[1].priority");
        assertThat(dup.message()).contains("priority 10 is used by another rule");
        // the check of that rule's row then matches none of the mapped API's resources either
        var unknown = problems(fullWith("                api: reports\n", "                api: nowhere\n"), 2).getFirst();
        assertThat(unknown.field()).isEqualTo("apis[3].regions[0].customDomains[0].routingRules[0].api");
        assertThat(unknown.message()).isEqualTo("no API 'nowhere' in us-east-1");
        var stage = onlyProblem(fullWith("                stage: prod\n", "                stage: beta\n"));
        assertThat(stage.message()).isEqualTo("API 'audit' has stage 'prod', not 'beta'");
        var glob = problems(fullWith("valueGlob: beta*}", "valueGlob: be*ta}"), 2).getFirst();
        assertThat(glob.field()).endsWith("routingRules[0].headers[0].valueGlob");
        var range = onlyProblem(fullWith("              - priority: 30 ", "              - priority: 0 "));
        assertThat(range.message()).contains("from 1 to 1000000");
    }
}
