package io.vpcanary.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The deployment package run as Lambda runs it: the zip unpacked into a task root, a separate JVM whose class path is
 * the Runtime Interface Client's jars only ({@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda}, which
 * loads the handler from {@code LAMBDA_TASK_ROOT}: its root and {@code lib/*.jar}), the environment Lambda sets, and
 * the JVM options of Lambda's Java runtimes (tiered compilation stopped at C1, the serial collector). JDK only.
 */
public final class LambdaProcess implements AutoCloseable {

    /** The handler string of the function. */
    public static final String HANDLER = "io.vpcanary.lambda.CanaryHandler::handleRequest";

    private final Process process;
    private final Path output;

    private LambdaProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Unpacks {@code zip} into {@code taskRoot} (created). */
    public static Path unpack(Path zip, Path taskRoot) throws IOException {
        Files.createDirectories(taskRoot);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                Path target = taskRoot.resolve(e.getName()).normalize();
                if (!target.startsWith(taskRoot)) {
                    throw new IOException("zip entry outside the task root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return taskRoot;
    }

    /**
     * Starts the function.
     *
     * @param taskRoot   the unpacked package
     * @param ricDir     the Runtime Interface Client's jars
     * @param runtimeApi {@code HOST:PORT} of the Runtime API
     * @param env        the function's own environment variables
     * @param output     where the process's stdout and stderr go (the function's log)
     */
    public static LambdaProcess start(Path taskRoot, Path ricDir, String runtimeApi, Map<String, String> env,
                                      Path output) throws IOException {
        List<String> jars;
        try (Stream<Path> s = Files.list(ricDir)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).map(p -> p.toAbsolutePath().toString()).sorted()
                    .toList();
        }
        if (jars.isEmpty()) {
            throw new IOException("no Runtime Interface Client jars in " + ricDir);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED"); // the client loads its JNI library; quiet on newer JDKs
        }
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, jars));
        cmd.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
        cmd.add(HANDLER);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(taskRoot.toAbsolutePath().toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("VPCANARY_") || k.startsWith("JAVA_TOOL"));
        e.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        e.put("_HANDLER", HANDLER);
        e.put("LAMBDA_TASK_ROOT", taskRoot.toAbsolutePath().toString());
        e.put("AWS_LAMBDA_FUNCTION_NAME", "vpcanary-canary-east");
        e.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        e.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        e.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/vpcanary-canary-east");
        e.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/01/01/[$LATEST]0123456789abcdef");
        e.put("AWS_REGION", "us-east-1");
        e.put("AWS_DEFAULT_REGION", "us-east-1");
        e.putAll(env);
        return new LambdaProcess(pb.start(), output);
    }

    /** The function's log so far. */
    public String log() {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * Waits for {@code f} at most {@code seconds}, failing at once (with the log) when the function's process ends
     * first.
     */
    public <T> T await(java.util.concurrent.CompletableFuture<T> f, long seconds) throws Exception {
        try {
            java.util.concurrent.CompletableFuture.anyOf(f, process.onExit()).get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("nothing within " + seconds + " s; the function's log:\n" + log());
        }
        if (!f.isDone()) {
            throw new AssertionError("the function's process ended (exit " + process.exitValue() + "); its log:\n"
                    + log());
        }
        return f.get();
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A scheduled EventBridge event, as Lambda delivers it. */
    public static String scheduledEvent() {
        try (InputStream in = LambdaProcess.class.getResourceAsStream("scheduled-event.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("scheduled-event.json missing from the test resources", e);
        }
    }
}
