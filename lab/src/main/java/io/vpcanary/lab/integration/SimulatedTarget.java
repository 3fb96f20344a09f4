package io.vpcanary.lab.integration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpcanary.lab.AwsAnswers;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.Integration;
import io.vpcanary.estate.IntegrationRoute;
import io.vpcanary.estate.IntegrationType;
import io.vpcanary.estate.Latency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.BinaryOperator;

/**
 * The simulated integration target of one API in one region: an NLB, ALB or Cloud Map service behind a VPC link,
 * or a mock integration. Each invocation draws a latency from the API's {@link LatencyModel} and, with probability
 * {@code errorRate}, an error (502, 503 or 504, equally likely, with API Gateway's bodies from {@link AwsAnswers});
 * otherwise it answers 200 with JSON naming the serving API and region:
 *
 * <pre>{"api":"orders","apiId":"ordrseast1","region":"us-east-1","stage":"prod","method":"GET","path":"/orders",
 * "resource":"/orders","vpcEndpoint":"vpce-0e1a00000000000a1","backendPath":"/orders","integration":"NLB",
 * "target":"orders-nlb","requestId":"..."}</pre>
 *
 * {@code backendPath} is the path the target received ({@link Integration#backendPath}: {@code /prod/orders} for a
 * REST API's ALB integration, which API Gateway gives the stage prefix). With {@code integration.routes} (ALB
 * listener path rules, Cloud Map services) {@code target} names the target of the first route matching the backend
 * path, else the integration's target.
 *
 * The API's own {@code integration.latency} and {@code integration.errorRate} override the estate's
 * {@code lab.integration} defaults. Randomness is seeded: the same seed and the same sequence of invocations give
 * the same latencies and errors. The target never sleeps: it returns the delay, and the caller schedules the answer
 * (on its event loop). Thread-safe.
 */
public final class SimulatedTarget {

    /** The AwsAnswers cases an error is drawn from, equally likely. */
    static final List<String> ERRORS = List.of("integration.badGateway", "integration.unavailable", "integration.timeout");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String api;
    private final String apiId;
    private final String region;
    private final IntegrationType type;
    private final String target;
    private final LatencyModel latency;
    private final double errorRate;
    private final Random random;
    private final List<IntegrationRoute> routes;
    /** The backend path of (stage, path below the stage). */
    private final BinaryOperator<String> backendPath;

    SimulatedTarget(String api, String apiId, String region, IntegrationType type, String target,
                    LatencyModel latency, double errorRate, long seed) {
        this(api, apiId, region, type, target, latency, errorRate, seed, List.of(), (stage, path) -> path);
    }

    SimulatedTarget(String api, String apiId, String region, IntegrationType type, String target,
                    LatencyModel latency, double errorRate, long seed, List<IntegrationRoute> routes,
                    BinaryOperator<String> backendPath) {
        this.routes = List.copyOf(routes);
        this.backendPath = Objects.requireNonNull(backendPath, "backendPath");
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("integration errorRate of API " + api + " must be within 0..1, was "
                    + errorRate);
        }
        this.api = api;
        this.apiId = apiId;
        this.region = region;
        this.type = type;
        this.target = target;
        this.latency = latency;
        this.errorRate = errorRate;
        this.random = new Random(seed);
    }

    /**
     * The target of {@code api} in {@code region}, seeded from {@code seed} and the API id (so that each target has
     * its own reproducible sequence).
     */
    public static SimulatedTarget of(Estate estate, Api api, ApiRegion region, long seed) {
        Integration in = api.integration();
        Latency l = in.latency() != null ? in.latency() : estate.lab().integration().latency();
        double rate = in.errorRate() != null ? in.errorRate() : estate.lab().integration().errorRate();
        String target = in.target() != null ? in.target() : api.name() + "-" + in.type().name().toLowerCase().replace('_', '-');
        return new SimulatedTarget(api.name(), region.id(), region.region(), in.type(), target, LatencyModel.of(l),
                rate, seed ^ (31L * region.id().hashCode() + region.region().hashCode()), in.routes(),
                (stage, path) -> in.backendPath(api, stage, path));
    }

    /** What the target is asked: the request as API Gateway forwards it. */
    public record Invocation(String stage, String method, String path, String resource, String vpcEndpoint,
                             String requestId) {
        public Invocation {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(requestId, "requestId");
        }
    }

    /**
     * What API Gateway answers for one invocation, to be sent {@code delayNanos} after the request.
     *
     * @param delayNanos simulated latency of the target
     * @param status     200, or 502/503/504 for a simulated error
     * @param body       JSON body
     * @param error      the AwsAnswers case of an error, or null on success
     */
    public record Response(long delayNanos, int status, String body, String error) {
    }

    /** An integration error (502, 503 or 504, equally likely) sent {@code delayNanos} after the request. */
    public static Response error(long delayNanos) {
        String error = ERRORS.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(ERRORS.size()));
        return new Response(delayNanos, AwsAnswers.status(error), AwsAnswers.body(error, Map.of()), error);
    }

    /** Invokes the target once. */
    public Response invoke(Invocation inv) {
        long delay;
        boolean fail;
        String error = null;
        synchronized (random) {
            delay = latency.sampleNanos(random);
            fail = errorRate > 0 && random.nextDouble() < errorRate;
            if (fail) {
                error = ERRORS.get(random.nextInt(ERRORS.size()));
            }
        }
        if (fail) {
            return new Response(delay, AwsAnswers.status(error), AwsAnswers.body(error, Map.of()), error);
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("api", api);
        o.put("apiId", apiId);
        o.put("region", region);
        o.put("stage", inv.stage());
        o.put("method", inv.method());
        o.put("path", inv.path());
        o.put("resource", inv.resource());
        o.put("vpcEndpoint", inv.vpcEndpoint());
        String backend = backendPath.apply(inv.stage(), inv.path());
        o.put("backendPath", backend);
        IntegrationRoute route = routeFor(backend);
        o.put("integration", (route == null || route.type() == null ? type : route.type()).name());
        o.put("target", route == null ? target : route.target());
        o.put("requestId", inv.requestId());
        try {
            return new Response(delay, 200, JSON.writeValueAsString(o), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The target serving backend path {@code path} (what the load balancer sees: for a REST API's ALB, with the
     * stage in front): the first matching route's, else the integration's target.
     */
    public String targetFor(String path) {
        IntegrationRoute r = routeFor(path);
        return r == null ? target : r.target();
    }

    /** The first route matching {@code path}, or null when the integration's own target serves it. */
    private IntegrationRoute routeFor(String path) {
        for (IntegrationRoute r : routes) {
            if (r.matches(path)) {
                return r;
            }
        }
        return null;
    }

    public String api() {
        return api;
    }

    public String region() {
        return region;
    }

    public IntegrationType type() {
        return type;
    }

    public String target() {
        return target;
    }

    public LatencyModel latency() {
        return latency;
    }

    public double errorRate() {
        return errorRate;
    }

    @Override
    public String toString() {
        return "SimulatedTarget[" + api + "/" + region + " " + type + " " + target + ", " + latency
                + ", errorRate=" + errorRate + "]";
    }
}
