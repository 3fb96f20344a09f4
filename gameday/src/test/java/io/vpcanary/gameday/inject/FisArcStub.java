package io.vpcanary.gameday.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A STUB, not an emulator: AWS FIS and Route 53 ARC are not in moto_server, so their injectors are tested against
 * this loopback server, which answers with the request and response shapes of AWS's API references and keeps just
 * enough state to check what the injectors ask:
 * <ul>
 *   <li>FIS (REST-JSON): {@code POST /experiments} (StartExperiment: {@code experimentTemplateId}, {@code clientToken},
 *       {@code tags}) answers {@code {"experiment":{"id","experimentTemplateId","state":{"status":"initiating"}}}};
 *       {@code DELETE /experiments/{id}} (StopExperiment) answers the experiment with status {@code stopping}.</li>
 *   <li>Route 53 ARC cluster (JSON 1.0, {@code X-Amz-Target: ToggleCustomerAPI.*}): GetRoutingControlState
 *       ({@code RoutingControlArn}) answers {@code RoutingControlArn}, {@code RoutingControlState} (On or Off),
 *       {@code RoutingControlName}; UpdateRoutingControlState ({@code RoutingControlArn}, {@code RoutingControlState})
 *       answers {@code {}}.</li>
 * </ul>
 * Nothing is evaluated: no experiment runs, no routing changes. Documented as a stub in docs/gameday.md.
 */
final class FisArcStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the stub was asked, in order: {@code METHOD path target body}. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Experiments by id: their status. */
    final Map<String, String> experiments = new ConcurrentHashMap<>();
    /** Routing controls by ARN: their state. */
    final Map<String, String> controls = new ConcurrentHashMap<>();
    private final HttpServer server;

    FisArcStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = x.getRequestHeaders().getFirst("X-Amz-Target");
        String path = x.getRequestURI().getPath();
        calls.add(x.getRequestMethod() + " " + path + " " + target + " " + body);
        JsonNode in = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        String out;
        int status = 200;
        if (target != null && target.endsWith(".GetRoutingControlState")) {
            String arn = in.path("RoutingControlArn").asText();
            out = JSON.createObjectNode().put("RoutingControlArn", arn)
                    .put("RoutingControlState", controls.getOrDefault(arn, "On"))
                    .put("RoutingControlName", "stub-control").toString();
        } else if (target != null && target.endsWith(".UpdateRoutingControlState")) {
            controls.put(in.path("RoutingControlArn").asText(), in.path("RoutingControlState").asText());
            out = "{}";
        } else if (x.getRequestMethod().equals("POST") && path.equals("/experiments")) {
            String id = "EXP" + (experiments.size() + 1) + "stub";
            experiments.put(id, "initiating");
            out = experiment(id, in.path("experimentTemplateId").asText(), "initiating");
        } else if (x.getRequestMethod().equals("DELETE") && path.startsWith("/experiments/")) {
            String id = path.substring("/experiments/".length());
            if (!experiments.containsKey(id)) {
                status = 404;
                out = "{\"message\":\"Experiment not found\"}";
            } else {
                experiments.put(id, "stopping");
                out = experiment(id, "stub-template", "stopping");
            }
        } else {
            status = 400;
            out = "{\"message\":\"the stub does not know this call\"}";
        }
        byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", target != null ? "application/x-amz-json-1.0" : "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private static String experiment(String id, String template, String status) {
        var root = JSON.createObjectNode();
        var e = root.putObject("experiment").put("id", id).put("experimentTemplateId", template);
        e.putObject("state").put("status", status);
        return root.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
