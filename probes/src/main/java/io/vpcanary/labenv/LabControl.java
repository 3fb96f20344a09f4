package io.vpcanary.labenv;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A client of a running lab's control channel (the {@code control} entry of its environment file): sets, lists and
 * clears faults, and reads the Route 53 health checks' status. What {@code vpcanary lab fault} and game days use.
 *
 * <p>Every call is one HTTP request to loopback with the run's bearer token (never logged). A request the lab refuses
 * as bad input throws {@link IllegalArgumentException} with the lab's one-line message; a lab that cannot be reached
 * or answers otherwise throws {@link UncheckedIOException} or {@link IllegalStateException}. Thread-safe.
 */
public final class LabControl {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final String token;
    private final HttpClient http;

    private LabControl(URI base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).proxy(HttpClient.Builder.NO_PROXY).build();
    }

    /**
     * The control channel of the lab {@code env} describes.
     *
     * @throws IllegalArgumentException when the environment names no control channel (a lab of an older build)
     */
    public static LabControl of(LabEnvironment env) {
        LabEnvironment.Control c = env.control();
        if (c == null || c.url() == null || c.token() == null) {
            throw new IllegalArgumentException("the lab environment names no control channel: restart the lab "
                    + "with this build of vpcanary");
        }
        return new LabControl(URI.create(c.url()), c.token());
    }

    /** Sets a fault; it expires by itself after its duration. */
    public Fault add(FaultSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return LabControlJson.fault(send("POST", "/faults", LabControlJson.spec(spec).toString()));
    }

    /** The faults in force, oldest first. */
    public List<Fault> list() {
        return LabControlJson.faults(send("GET", "/faults", null));
    }

    /** Clears one fault; false when no fault of that id is in force. */
    public boolean clear(String id) {
        return send("DELETE", "/faults/" + URLEncoder.encode(id, StandardCharsets.UTF_8), null)
                .path("cleared").asInt() > 0;
    }

    /** Clears every fault; the number cleared. */
    public int clearAll() {
        return send("DELETE", "/faults", null).path("cleared").asInt();
    }

    /** The status of every routing record's health check, in estate order. */
    public List<HealthCheckStatus> healthChecks() {
        return LabControlJson.healthChecks(send("GET", "/health-checks", null));
    }

    /** How many times faster Route 53 and CloudWatch time runs in the lab ({@code lab.route53.timeScale}). */
    public int timeScale() {
        return send("GET", "/health-checks", null).path("timeScale").asInt(1);
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the lab's control channel at " + base + ": " + e.getMessage()
                    + " (is the lab running?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the lab's control channel", e);
        }
        JsonNode json;
        try {
            json = LabControlJson.JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
        } catch (IOException e) {
            throw new IllegalStateException("the lab's control channel answered " + r.statusCode()
                    + " with a body that is not JSON");
        }
        if (r.statusCode() == 400 || r.statusCode() == 404 && !"DELETE".equals(method)) {
            throw new IllegalArgumentException(json.path("message").asText("bad request"));
        }
        if (r.statusCode() == 404) {
            return json;
        }
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("the lab's control channel answered " + r.statusCode() + ": "
                    + json.path("message").asText(""));
        }
        return json;
    }
}
