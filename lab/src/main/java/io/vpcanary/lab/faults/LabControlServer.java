package io.vpcanary.lab.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vpcanary.lab.route53.LabRouting;
import io.vpcanary.labenv.Fault;
import io.vpcanary.labenv.LabControlJson;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The lab's control channel (docs/lab.md#the-control-channel): HTTP on 127.0.0.1 at an ephemeral port, every request
 * carrying {@code Authorization: Bearer {token}} with the random token of this run (compared in constant time; 401
 * otherwise). JSON in and out, as {@link LabControlJson} writes it:
 *
 * <ul>
 *   <li>{@code POST /faults} with a fault spec: 201 and the fault; 400 {@code {"message":...}} for bad input;</li>
 *   <li>{@code GET /faults}: {@code {"faults":[...]}}, the faults in force;</li>
 *   <li>{@code DELETE /faults/{id}}: {@code {"cleared":1}}, or 404 {@code {"cleared":0}};</li>
 *   <li>{@code DELETE /faults}: {@code {"cleared":n}};</li>
 *   <li>{@code GET /health-checks}: {@code {"timeScale":n,"healthChecks":[...]}}.</li>
 * </ul>
 * Runs on one daemon thread; {@link #close()} stops it.
 */
public final class LabControlServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] token;
    private final String tokenText;

    private LabControlServer(HttpServer server, ExecutorService executor, String token) {
        this.server = server;
        this.executor = executor;
        this.tokenText = token;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts the channel over {@code faults} and {@code routing} on 127.0.0.1 with a new random token. */
    public static LabControlServer start(LabFaults faults, LabRouting routing) throws IOException {
        byte[] t = new byte[32];
        new SecureRandom().nextBytes(t);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "vpcanary-lab-control");
            th.setDaemon(true);
            return th;
        });
        LabControlServer s = new LabControlServer(server, executor, HexFormat.of().formatHex(t));
        server.setExecutor(executor);
        server.createContext("/", exchange -> s.handle(exchange, faults, routing));
        server.start();
        return s;
    }

    /** The environment file's {@code control} entry. */
    public LabEnvironment.Control control() {
        return new LabEnvironment.Control("http://127.0.0.1:" + server.getAddress().getPort(), tokenText);
    }

    private void handle(HttpExchange ex, LabFaults faults, LabRouting routing) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.US_ASCII), token)) {
                send(ex, 401, Map.of("message", "the control channel needs the bearer token of the lab's environment file"));
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            try {
                if (path.equals("/faults") && method.equals("POST")) {
                    Fault f = faults.add(LabControlJson.spec(readBody(ex)));
                    send(ex, 201, LabControlJson.fault(f));
                } else if (path.equals("/faults") && method.equals("GET")) {
                    send(ex, 200, LabControlJson.faults(faults.list()));
                } else if (path.equals("/faults") && method.equals("DELETE")) {
                    send(ex, 200, Map.of("cleared", faults.clearAll()));
                } else if (path.startsWith("/faults/") && method.equals("DELETE")) {
                    boolean cleared = faults.clear(URLDecoder.decode(path.substring("/faults/".length()),
                            StandardCharsets.UTF_8));
                    send(ex, cleared ? 200 : 404, Map.of("cleared", cleared ? 1 : 0));
                } else if (path.equals("/health-checks") && method.equals("GET")) {
                    send(ex, 200, LabControlJson.healthChecks(routing.timeScale(), routing.statuses()));
                } else {
                    send(ex, 404, Map.of("message", "no " + method + " " + path + " on the lab's control channel"));
                }
            } catch (IllegalArgumentException e) {
                send(ex, 400, Map.of("message", String.valueOf(e.getMessage())));
            }
        }
    }

    private static JsonNode readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IllegalArgumentException("a fault is at most " + MAX_BODY + " bytes of JSON");
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalArgumentException("the body is not JSON");
            }
        }
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
