package io.vpcanary.simulations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test harness: runs one Gatling simulation in a child JVM (Gatling's launcher ends its JVM) with this test's class
 * path, an embedded lab whose state lives under {@code work}, certificates verified against the lab CA, and the given
 * extra system properties. Standard output and error are captured to files; the run must end within a deadline.
 *
 * @param exitCode    the JVM's exit code (0 when the run and its assertions passed)
 * @param stdout      captured standard output
 * @param stderr      captured standard error
 * @param resultsDir  Gatling's results folder (reports and simulation.log below it)
 */
record GatlingRun(int exitCode, Path stdout, Path stderr, Path resultsDir) {

    private static final Pattern REQUEST_COUNT = Pattern.compile(
            "> request count\\s*\\|\\s*([\\d,]+)\\s*\\|\\s*([\\d,]+|-)\\s*\\|\\s*([\\d,]+|-)");
    private static final Pattern MAX_TIME = Pattern.compile("> max response time \\(ms\\)\\s*\\|\\s*([\\d,]+)");
    private static final Pattern MEAN_TIME = Pattern.compile("> mean response time \\(ms\\)\\s*\\|\\s*([\\d,]+)");
    private static final Pattern MEDIAN_TIME =
            Pattern.compile("> response time 50th percentile \\(ms\\)\\s*\\|\\s*([\\d,]+)");

    static GatlingRun run(Class<?> simulation, Path work, Map<String, String> properties, Duration deadline)
            throws IOException, InterruptedException, GeneralSecurityException {
        return run(simulation, work, properties, Map.of(), deadline);
    }

    /** As {@link #run(Class, Path, Map, Duration)}, with {@code environment} added to the child's environment. */
    static GatlingRun run(Class<?> simulation, Path work, Map<String, String> properties,
                          Map<String, String> environment, Duration deadline)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path labState = work.resolve("lab-state");
        Path trustStore = work.resolve("trust").resolve("truststore.p12");
        String password = "vpcanary-test";
        Map<String, String> props = new LinkedHashMap<>();
        props.put("vpcanary.labState", labState.toString());
        props.put("vpcanary.invocationDir", work.toString());
        props.put("gatling.ssl.useInsecureTrustManager", "false");
        props.put("gatling.ssl.trustStore.type", "PKCS12");
        props.put("gatling.ssl.trustStore.file", trustStore.toString());
        props.put("gatling.ssl.trustStore.password", password);
        props.put("gatling.http.enableHostnameVerification", "true");
        props.putAll(properties);
        Path ca = props.containsKey("vpcanary.trustStore") ? Path.of(props.get("vpcanary.trustStore"))
                : GatlingTrustStore.caOf(SimulationSettings.from(props));
        GatlingTrustStore.write(ca, trustStore, password.toCharArray());

        Path results = Files.createDirectories(work.resolve("gatling"));
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("--add-opens=java.base/java.lang=ALL-UNNAMED"); // as the Gatling Maven plugin does
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("io.gatling.app.Gatling");
        command.add("--simulation");
        command.add(simulation.getName());
        command.add("--results-folder");
        command.add(results.toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(environment);
        Process p = pb.start();
        if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("Gatling did not finish within " + deadline + "; output: " + Files.readString(out));
        }
        return new GatlingRun(p.exitValue(), out, err, results);
    }

    /** Captured standard output. */
    String out() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /** Gatling's own count of requests made, from its final console summary: {total, ok, ko}. */
    long[] requestCount() throws IOException {
        Matcher m = REQUEST_COUNT.matcher(out());
        long[] last = null;
        while (m.find()) {
            last = new long[] {number(m.group(1)), number(m.group(2)), number(m.group(3))};
        }
        if (last == null) {
            throw new AssertionError("no request count in Gatling's output:\n" + out());
        }
        return last;
    }

    /** The mean response time of the run in ms (all requests), from Gatling's final console summary. */
    long meanResponseTimeMs() throws IOException {
        return lastNumber(MEAN_TIME, "mean response time");
    }

    /** The median response time of the run in ms (all requests), from Gatling's final console summary. */
    long medianResponseTimeMs() throws IOException {
        return lastNumber(MEDIAN_TIME, "median response time");
    }

    /** The largest response time of the run in ms, from Gatling's final console summary. */
    long maxResponseTimeMs() throws IOException {
        return lastNumber(MAX_TIME, "max response time");
    }

    private long lastNumber(Pattern pattern, String what) throws IOException {
        Matcher m = pattern.matcher(out());
        long last = -1;
        while (m.find()) {
            last = number(m.group(1));
        }
        if (last < 0) {
            throw new AssertionError("no " + what + " in Gatling's output:\n" + out());
        }
        return last;
    }

    /** A figure of Gatling's console summary: thousands separated by commas, {@code -} for none. */
    private static long number(String text) {
        return text.equals("-") ? 0 : Long.parseLong(text.replace(",", ""));
    }
}
