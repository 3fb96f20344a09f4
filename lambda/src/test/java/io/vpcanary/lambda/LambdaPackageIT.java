package io.vpcanary.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The deployment package's contents (docs/decisions/0005-lambda-package-contents.md): the handler's classes at the
 * root, the bundled estate, run-time jars in {@code lib/}, and none of what a canary does not need.
 */
class LambdaPackageIT {

    /** Jar name prefixes that must never be in the canary's package, and why. */
    private static final List<String> FORBIDDEN = List.of(
            "gatling", "netty", // load runs; the lab's servers (and the SDK's async client)
            "vpcanary-lab", "vpcanary-cli", "vpcanary-simulations", "vpcanary-dashboards",
            "mock-oauth2-server", "wiremock", "bcpkix", "bcprov", // the lab's OIDC provider and CA, test servers
            "picocli", "slf4j-simple", "logback",
            "apache-client", "httpclient", "netty-nio-client", // the SDK's default HTTP clients
            "route53", "route53recoverycluster", "fis", "ecs", "cloudformation", "apigateway", "lambda-", "iam-", "sts-", // control-plane SDK clients
            "vpcanary-gameday", // the Route 53 audit and game days (decision 0008)
            "vpcanary-discover", "ec2-", // discovery and its EC2 client (apigateway above covers apigatewayv2; 0009)
            "aws-lambda-java-runtime-interface-client", "aws-lambda-java-serialization", // the runtime brings them
            "junit", "assertj");

    @Test
    void holdsTheHandlerTheEstateAndOnlyWhatACanaryNeeds() throws Exception {
        Path zip = Path.of(System.getProperty("vpcanary.lambda.zip", "target/vpcanary-lambda.zip"));
        long max = Long.parseLong(System.getProperty("vpcanary.lambda.maxZipBytes", "26214400"));
        assertThat(zip).exists();
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            z.stream().map(ZipEntry::getName).forEach(names::add);
        }
        assertThat(names).contains("io/vpcanary/lambda/CanaryHandler.class", CanaryConfig.BUNDLED_ESTATE,
                "lib/aws-lambda-java-core-1.4.0.jar", "lib/crac-1.5.0.jar");
        assertThat(names).anyMatch(n -> n.matches("lib/vpcanary-probes-.*\\.jar"))
                .anyMatch(n -> n.matches("lib/dnsjava-.*\\.jar")).anyMatch(n -> n.matches("lib/cloudwatch-.*\\.jar"))
                .anyMatch(n -> n.matches("lib/url-connection-client-.*\\.jar"));
        List<String> jars = names.stream().filter(n -> n.startsWith("lib/")).map(n -> n.substring(4)).toList();
        assertThat(jars).as("jars in lib/").allMatch(n -> n.endsWith(".jar") || n.isEmpty());
        for (String forbidden : FORBIDDEN) {
            assertThat(jars).as("no %s in the package", forbidden).noneMatch(j -> j.startsWith(forbidden));
        }
        // the AWS CRT (SigV4a) only when built with -Psigv4a (decision 0008)
        boolean sigv4a = Boolean.getBoolean("vpcanary.lambda.sigv4a");
        assertThat(jars.stream().anyMatch(j -> j.startsWith("aws-crt-"))).as("the AWS CRT in the package")
                .isEqualTo(sigv4a);
        assertThat(names).as("classes at the root, nothing but lib/ below").allMatch(n -> n.startsWith("io/")
                || n.startsWith("lib/") || n.startsWith("META-INF/"));
        long size = Files.size(zip);
        System.out.printf("vpcanary-lambda.zip: %d bytes (%.1f MB), %d jars; bound %d bytes%n", size,
                size / 1048576.0, jars.size(), max);
        assertThat(size).as("zip size").isLessThan(max);
    }
}
