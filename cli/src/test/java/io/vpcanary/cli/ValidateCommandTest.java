package io.vpcanary.cli;

import static io.vpcanary.cli.CliRun.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.EstateLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vpcanary validate}, run in-process through {@link Main#commandLine()} with captured output. */
class ValidateCommandTest {

    @TempDir
    Path dir;



    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static String demoWith(String from, String to) {
        String text = EstateLoader.demoText();
        assertThat(text).contains(from);
        return text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to));
    }

    private static int lineOf(String text, String needle) {
        int idx = text.indexOf(needle);
        assertThat(idx).isNotNegative();
        return (int) text.substring(0, idx).chars().filter(c -> c == '\n').count() + 1;
    }

    /** Runs validate on {@code yaml} and returns its single stderr line, after checking exit status 2. */
    private String invalid(String yaml) throws IOException {
        Path file = write("estate.yaml", yaml);
        CliRun r = run("validate", file.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith(file + ":");
        return r.err().strip();
    }

    @Test
    void demoIsValid() {
        CliRun r = run("validate", "--demo");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("demo-estate.yaml: ok (5 APIs, 2 regions, 13 checks, 29 targets)\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void validFileIsOk() throws IOException {
        Path file = write("estate.yaml", EstateLoader.demoText());
        CliRun r = run("validate", file.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(file + ": ok (5 APIs, 2 regions, 13 checks, 29 targets)\n");
    }

    @Test
    void unknownFieldNamesFileLineAndField() throws IOException {
        String yaml = demoWith("    stage: prod\n", "    stage: prod\n    stagee: beta\n");
        assertThat(invalid(yaml)).matches(".*estate\\.yaml:" + lineOf(yaml, "stagee") + ":5: apis\\[0]\\.stagee: "
                + "unknown field 'stagee' \\(known fields: .*stage.*\\)");
    }

    @Test
    void wrongTypeNamesFileLineAndField() throws IOException {
        String yaml = demoWith("    https: 8443", "    https: [8443]");
        assertThat(invalid(yaml)).matches(".*estate\\.yaml:" + lineOf(yaml, "https: [")
                + ":\\d+: lab\\.ports\\.https: expected an integer here");
    }

    @Test
    void badEnumNamesTheAllowedValues() throws IOException {
        String yaml = demoWith("    type: REST\n    endpointType: REGIONAL", "    type: SOAP\n    endpointType: REGIONAL");
        assertThat(invalid(yaml)).matches(".*estate\\.yaml:" + lineOf(yaml, "SOAP")
                + ":\\d+: apis\\[1]\\.type: 'SOAP' is not one of \\[REST, HTTP, WEBSOCKET]");
    }

    @Test
    void brokenReferenceNamesFileLineAndField() throws IOException {
        String yaml = demoWith("from: partner-east", "from: partner-west");
        assertThat(invalid(yaml)).matches(".*estate\\.yaml:" + lineOf(yaml, "partner-west")
                + ":\\d+: apis\\[0]\\.checks\\[2]\\.from: 'partner-west' is neither a VPC name of network\\.vpcs "
                + "nor on-premises");
    }

    @Test
    void malformedYamlNamesFileAndLine() throws IOException {
        String yaml = demoWith("    stage: prod\n", "    stage: [prod\n");
        String line = invalid(yaml);
        assertThat(line).matches(".*estate\\.yaml:\\d+:\\d+: not valid YAML: while parsing a flow sequence: "
                + "expected ',' or ']', but got :");
        int reported = Integer.parseInt(line.replaceAll(".*estate\\.yaml:(\\d+):.*", "$1"));
        assertThat(reported).isGreaterThanOrEqualTo(lineOf(yaml, "stage: [prod"));
    }

    @Test
    void aPolicyTheLabWouldRefuseIsRefusedAtItsFileLineAndColumn() throws IOException {
        String yaml = demoWith("AWS: arn:aws:iam::111122223333:role/vpcanary-lab-canary", "AWS: arn:aws:iam::111122223333:role/*");
        int line = lineOf(yaml, "role/*");
        int column = yaml.lines().toList().get(line - 1).indexOf("AWS:") + 1;
        assertThat(invalid(yaml)).endsWith("estate.yaml:" + line + ":" + column
                + ": apis[2].resourcePolicy.Statement[0].Principal.AWS: principal 'arn:aws:iam::111122223333:role/*' "
                + "has a wildcard; IAM allows only \"*\" on its own (use a condition on aws:PrincipalArn with StringLike instead)");
    }

    @Test
    void theDefaultStageOnARestApiAndACheckPathOutsideTheResourcesAreRefusedAtTheirFileLineAndColumn()
            throws IOException {
        String rest = demoWith("    stage: prod\n", "    stage: $default\n");
        assertThat(invalid(rest)).endsWith("estate.yaml:" + lineOf(rest, "$default") + ":5: apis[0].stage: only HTTP "
                + "and WebSocket APIs have the $default stage; a REST API's stages are named, such as prod");
        String path = demoWith("        path: /ledger\n", "        path: /ledger/x\n");
        assertThat(invalid(path)).endsWith("estate.yaml:" + lineOf(path, "/ledger/x") + ":9: apis[3].checks[2].path: "
                + "'/ledger/x' matches none of the API's resources [/payments, /orders, /ledger] (a check of an "
                + "unknown route expects errorClass FORBIDDEN or HTTP_4XX, or status 403 or 404)");
        String http = demoWith("    type: HTTP\n    endpointType: REGIONAL\n    stage: prod\n",
                "    type: HTTP\n    endpointType: REGIONAL\n    stage: $default\n");
        assertThat(run("validate", write("http.yaml", http).toString()).exit()).isZero();
    }

    @Test
    void emptyFileIsReported() throws IOException {
        assertThat(invalid("")).endsWith("estate.yaml:1:1: the estate file is empty");
        assertThat(invalid("# only a comment\n")).endsWith("estate.yaml:1:1: the estate file is empty");
    }

    @Test
    void missingFileIsReportedClearly() {
        Path missing = dir.resolve("nope.yaml");
        CliRun r = run("validate", missing.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(missing + ": no such file\n");
        CliRun d = run("validate", dir.toString());
        assertThat(d.exit()).isEqualTo(2);
        assertThat(d.err()).contains("is a directory");
    }

    @Test
    void everyProblemOfEveryFileIsReportedAndOneBadFileFailsTheRun() throws IOException {
        Path good = write("good.yaml", EstateLoader.demoText());
        String yaml = demoWith("    stage: prod\n", "\n").replace("account: \"111122223333\"", "account: \"12\"");
        Path bad = write("bad.yaml", yaml);
        CliRun r = run("validate", good.toString(), bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).startsWith(good + ": ok (");
        assertThat(r.err().lines()).containsExactly(
                bad + ":" + lineOf(yaml, "account") + ":1: account: '12' is not a 12-digit AWS account id",
                bad + ":" + lineOf(yaml, "  - name: orders") + ":5: apis[0].stage: required field is missing");
    }

    @Test
    void problemsAreListedInFileOrder() throws IOException {
        String yaml = EstateLoader.demoText()
                .replace("from: partner-east", "from: partner-west")
                .replace("    dns: 8053", "    dns: 80530")
                .replace("account: \"111122223333\"", "account: \"11112222333\"");
        Path file = write("estate.yaml", yaml);
        CliRun r = run("validate", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(
                file + ":" + lineOf(yaml, "account:") + ":1: account: '11112222333' is not a 12-digit AWS account id",
                file + ":" + lineOf(yaml, "from: partner-west") + ":9: apis[0].checks[2].from: 'partner-west' is "
                        + "neither a VPC name of network.vpcs nor on-premises",
                file + ":" + lineOf(yaml, "dns: 80530") + ":5: lab.ports.dns: a port is from 0 (ephemeral) to 65535");
    }

    @Test
    void noFileIsAUsageError() {
        CliRun r = run("validate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("name at least one estate file, or --demo").contains("Usage:");
    }
}
