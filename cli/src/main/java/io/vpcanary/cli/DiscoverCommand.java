package io.vpcanary.cli;

import io.vpcanary.discover.DiscoverClients;
import io.vpcanary.discover.Discovery;
import io.vpcanary.discover.Drift;
import io.vpcanary.discover.DiscoveryPolicy;
import io.vpcanary.discover.EstateBuilder;
import io.vpcanary.discover.EstateYaml;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.estate.EstateValidator;
import io.vpcanary.metrics.MetricsOutput;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vpcanary discover}: reads the account's APIs, endpoints and routing records and writes the estate, merges a
 * rediscovery into an existing estate file, or prints the IAM policy it needs (docs/discover.md).
 */
@Command(name = "discover",
        description = {
                "Read API Gateway (REST, HTTP, WebSocket APIs and custom domains), execute-api VPC endpoints and Route 53 "
                        + "private hosted zones of an account, read-only, and write the estate: every API with the "
                        + "access paths it really supports from each VPC, and a first check per API for you to confirm.",
                "With --out naming an existing file, adds what is new in the account and keeps your edits and "
                        + "comments. With --diff FILE, shows what the account has that FILE does not monitor. "
                        + "docs/discover.md lists every AWS call."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:written (or policy printed; or with --diff: nothing unmonitored, or the coverage at least "
                + "--min-coverage)", "1:with --diff: something unmonitored (or the coverage below --min-coverage); "
                + "or AWS could not be read",
                "2:bad input (options, an unreadable or invalid estate file)"},
        mixinStandardHelpOptions = true)
public final class DiscoverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--region", paramLabel = "REGION", split = ",",
            description = "Region to read; repeatable or comma-separated. Default: the AWS SDK's region chain, else "
                    + "us-east-1.")
    List<String> regions = new ArrayList<>();

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "One endpoint for API Gateway, EC2 and Route 53, for an emulator (default: the SDK's own "
                    + "AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL settings).")
    String endpoint;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Credentials of this profile of the shared AWS config files (default: the SDK's chain).")
    String profile;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the estate to FILE; an existing FILE is merged into (default: standard output).")
    Path out;

    @Option(names = "--diff", paramLabel = "FILE",
            description = "Instead of writing, compare the account with the estate FILE: what the account has that FILE "
                    + "does not monitor (APIs, paths, vantages, routing records), the reverse, and the coverage. "
                    + "Exit 1 when anything is unmonitored (with --min-coverage: when the coverage is below it).")
    Path diff;

    @Option(names = "--min-coverage", paramLabel = "PCT",
            description = "With --diff: exit 1 only when the coverage is below PCT percent (0 to 100), so that CI can "
                    + "hold a floor while the estate file catches up. Default: any unmonitored item fails.")
    Double minCoverage;

    @Option(names = "--print-policy",
            description = "Print the read-only IAM policy discovery needs, and nothing else.")
    boolean printPolicy;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (printPolicy) {
            stdout.print(DiscoveryPolicy.json());
            stdout.flush();
            return 0;
        }
        for (String r : regions) {
            if (!EstateValidator.isRegionName(r)) {
                throw new IllegalArgumentException("--region '" + r + "' is not a region name such as us-east-1");
            }
        }
        if (diff != null && out != null) {
            throw new IllegalArgumentException("--diff compares and --out writes: give one of them");
        }
        if (minCoverage != null && (diff == null || !(minCoverage >= 0 && minCoverage <= 100))) {
            throw new IllegalArgumentException(diff == null ? "--min-coverage goes with --diff"
                    : "--min-coverage is a percentage from 0 to 100, got " + minCoverage);
        }
        Estate monitored = null;
        if (diff != null) {
            if (!Files.exists(diff)) {
                throw new IllegalArgumentException("--diff " + diff + ": no such file");
            }
            monitored = EstateLoader.load(diff);
        }
        List<String> rs = regions.isEmpty() ? List.of(MetricsOutput.defaultRegion()) : List.copyOf(regions);
        String existing = null;
        if (out != null && Files.exists(out)) {
            existing = Files.readString(out, StandardCharsets.UTF_8);
            EstateLoader.parse(out, existing); // a broken file is the user's to fix first: exit 2
        }
        URI uri = endpoint == null ? null : MetricsOutput.Settings.endpoint(endpoint);
        EstateBuilder.Result found;
        try (DiscoverClients clients = profile == null ? DiscoverClients.of(uri, null)
                : DiscoverClients.withProfile(uri, profile)) {
            found = Discovery.discover(clients, rs);
        }
        found.notes().forEach(n -> err.println("discover: note: " + n));
        err.flush();
        if (monitored != null) {
            Drift drift = Drift.between(found.estate(), monitored);
            stdout.println("drift: the account (" + String.join(", ", rs) + ") against " + diff);
            drift.lines().forEach(stdout::println);
            stdout.flush();
            boolean failed = minCoverage == null ? !drift.unmonitored().isEmpty() : drift.coverage() < minCoverage;
            return failed ? 1 : 0;
        }
        String text;
        if (existing != null) {
            EstateYaml.Merge m = EstateYaml.merge(existing, found);
            text = m.text();
            m.added().forEach(a -> err.println("discover: added " + a));
            err.printf("discover: %s: %d added, the rest kept as it was%n", out, m.added().size());
        } else {
            text = EstateYaml.write(found, Discovery.header(rs));
        }
        EstateLoader.parse(out == null ? Path.of("discovered.yaml") : out, text); // never write a file that fails
        if (out == null) {
            stdout.print(text);
            stdout.flush();
        } else {
            Files.writeString(out, text, StandardCharsets.UTF_8);
            err.printf("discover: wrote %s: %d APIs, %d VPCs, %d VPC endpoints, %d routing domains from %s%n", out,
                    found.estate().apis().size(), found.estate().network().vpcs().size(),
                    found.estate().network().vpcEndpoints().size(), found.estate().routingDomains().size(),
                    String.join(", ", rs));
        }
        err.flush();
        return 0;
    }
}
