package io.vpcanary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * With debug logging turned on for everything ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug}), the loggers
 * that would print client secrets, tokens or Authorization headers (the lab's identity provider, the HTTP clients
 * and servers) stay at INFO, pinned in the simplelogger.properties the cli jar ships. Checked in a fresh JVM, since
 * slf4j-simple reads its configuration once.
 */
class CliLoggingTest {

    static final List<String> PINNED = List.of(
            "no.nav.security.mock.oauth2.MockOAuth2Server",
            "no.nav.security.mock.oauth2.http.MockWebServerWrapper",
            "com.nimbusds.oauth2.sdk.TokenRequest",
            "io.netty.handler.logging.LoggingHandler",
            "software.amazon.awssdk.request",
            "software.amazon.awssdk.auth.signer.Aws4Signer",
            "org.apache.http.wire",
            "org.apache.hc.client5.http.wire",
            "okhttp3.OkHttpClient",
            "mockwebserver3.MockWebServer");
    static final String CONTROL = "io.vpcanary.cli.Main";
    /** Gatling's response logger (vpcanary load run), which prints request headers at debug: pinned at warn. */
    static final String GATLING = "io.gatling.http.engine.response";

    /**
     * With java.util.logging at ALL for every logger (a {@code java.util.logging.config.file} such as a user turning
     * on JDK debugging would write), the JDK HTTP loggers that print request headers stay at INFO once the command
     * line is loaded; an ordinary JUL logger does reach FINE.
     */
    @Test
    void julDebugForEverythingLeavesTheHeaderPrintingJdkLoggersAtInfo(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException, InterruptedException {
        Path config = dir.resolve("logging.properties");
        java.nio.file.Files.writeString(config, ".level=ALL\nhandlers=\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Djava.util.logging.config.file=" + config,
                "-cp", System.getProperty("java.class.path"), JulLevels.class.getName())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("io.vpcanary.cli.control=FINE");
        for (java.util.logging.Logger l : Main.PINNED_JUL) {
            assertThat(out).as(out).contains(l.getName() + "=INFO");
        }
    }

    /** Loads the command line, then prints whether each JUL logger logs at FINE. */
    public static final class JulLevels {
        public static void main(String[] args) {
            Main.commandLine();
            for (java.util.logging.Logger l : Main.PINNED_JUL) {
                System.out.println(l.getName() + "=" + (l.isLoggable(java.util.logging.Level.FINE) ? "FINE" : "INFO"));
            }
            java.util.logging.Logger control = java.util.logging.Logger.getLogger("io.vpcanary.cli.control");
            System.out.println("io.vpcanary.cli.control=" + (control.isLoggable(java.util.logging.Level.FINE)
                    ? "FINE" : "INFO"));
        }
    }

    @Test
    void debugForEverythingLeavesTheSecretBearingLoggersAtInfo() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug",
                "-cp", System.getProperty("java.class.path"), Levels.class.getName())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> levels = out.lines().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
        assertThat(levels.get("binding")).as(out).contains("Simple");
        assertThat(levels.get(CONTROL)).as("debug reached an ordinary logger: " + out).isEqualTo("debug");
        for (String name : PINNED) {
            assertThat(levels.get(name)).as(name + " in " + out).isEqualTo("info");
        }
        assertThat(levels.get(GATLING)).as(GATLING + " in " + out).isEqualTo("warn");
    }

    /** Prints the binding and, per logger, the most detailed level enabled. */
    public static final class Levels {
        public static void main(String[] args) {
            System.out.println("binding=" + LoggerFactory.getILoggerFactory().getClass().getName());
            for (String name : concat(concat(PINNED, CONTROL), GATLING)) {
                org.slf4j.Logger log = LoggerFactory.getLogger(name);
                System.out.println(name + "=" + (log.isTraceEnabled() ? "trace" : log.isDebugEnabled() ? "debug"
                        : log.isInfoEnabled() ? "info" : "warn"));
            }
        }

        private static List<String> concat(List<String> names, String more) {
            return java.util.stream.Stream.concat(names.stream(), java.util.stream.Stream.of(more)).toList();
        }
    }
}
