package io.vpcanary.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test implementation of the Lambda Runtime API (2018-06-01) on 127.0.0.1: {@code GET /runtime/invocation/next}
 * hands out the events queued with {@link #invoke} (with {@code Lambda-Runtime-Aws-Request-Id} and
 * {@code Lambda-Runtime-Deadline-Ms}), {@code POST /runtime/invocation/{id}/response} and {@code .../error} complete
 * the invocation's future, {@code POST /runtime/init/error} completes {@link #initError()}. JDK only, so that the
 * init benchmark can run it from the test classes without a class path.
 */
public final class RuntimeApiServer implements AutoCloseable {

    private static final String BASE = "/2018-06-01/runtime/";

    /** What the function answered: its body, and whether the runtime reported it as an error (with its type). */
    public record Result(boolean error, String errorType, String body) {
    }

    private record Invocation(String id, String event, long timeoutMillis) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Result>> results = new ConcurrentHashMap<>();
    private final CompletableFuture<Result> initError = new CompletableFuture<>();
    private final CompletableFuture<Void> firstNext = new CompletableFuture<>();
    private final AtomicInteger ids = new AtomicInteger();

    private RuntimeApiServer(HttpServer server) {
        this.server = server;
    }

    /** Starts on 127.0.0.1 on a free port. */
    public static RuntimeApiServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        RuntimeApiServer api = new RuntimeApiServer(http);
        http.createContext(BASE, api::handle);
        http.setExecutor(api.executor);
        http.start();
        return api;
    }

    /** {@code 127.0.0.1:PORT}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Queues one invocation of {@code event} with {@code timeoutMillis} to its deadline; its result completes later. */
    public CompletableFuture<Result> invoke(String event, long timeoutMillis) {
        String id = "req-" + ids.incrementAndGet();
        CompletableFuture<Result> f = new CompletableFuture<>();
        results.put(id, f);
        queue.add(new Invocation(id, event, timeoutMillis));
        return f;
    }

    /** Completes when the runtime reports an initialisation error. */
    public CompletableFuture<Result> initError() {
        return initError;
    }

    /** Completes when the runtime first asks for an invocation: its initialisation is over. */
    public CompletableFuture<Void> firstNext() {
        return firstNext;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().substring(BASE.length());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if ("GET".equals(ex.getRequestMethod()) && path.equals("invocation/next")) {
                firstNext.complete(null);
                Invocation inv;
                try {
                    inv = queue.poll(10, TimeUnit.MINUTES); // the runtime waits as long as it takes; bounded here
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    inv = null;
                }
                if (inv == null) {
                    reply(ex, 500, "{\"errorMessage\":\"no invocation\"}");
                    return;
                }
                ex.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", inv.id());
                ex.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms",
                        Long.toString(System.currentTimeMillis() + inv.timeoutMillis()));
                ex.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:111122223333:function:vpcanary-canary-east");
                ex.getResponseHeaders().add("Lambda-Runtime-Trace-Id",
                        "Root=1-00000000-000000000000000000000000;Sampled=0");
                reply(ex, 200, inv.event());
            } else if ("POST".equals(ex.getRequestMethod()) && path.equals("init/error")) {
                initError.complete(new Result(true, ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"),
                        body));
                reply(ex, 202, "{\"status\":\"OK\"}");
            } else if ("POST".equals(ex.getRequestMethod()) && path.startsWith("invocation/")) {
                String[] parts = path.split("/");
                CompletableFuture<Result> f = parts.length == 3 ? results.get(parts[1]) : null;
                if (f == null) {
                    reply(ex, 400, "{\"errorMessage\":\"unknown invocation\"}");
                    return;
                }
                switch (parts[2]) {
                    case "response" -> f.complete(new Result(false, null, body));
                    case "error" -> f.complete(new Result(true,
                            ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"), body));
                    default -> {
                        reply(ex, 404, "{}");
                        return;
                    }
                }
                reply(ex, 202, "{\"status\":\"OK\"}");
            } else {
                reply(ex, 404, "{}");
            }
        } finally {
            ex.close();
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
