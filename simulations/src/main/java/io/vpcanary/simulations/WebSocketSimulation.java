package io.vpcanary.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.WsFrameCheck;
import io.vpcanary.access.Target;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.WebSocketCheck;
import io.vpcanary.metrics.ProbeMetrics;
import io.vpcanary.metrics.Recorder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The estate's WebSocket checks under load ({@link PathPlan#webSockets}): per check × access path × region, virtual
 * users arrive on an open model ({@code vpcanary.wsRate} a second for {@code vpcanary.wsDuration}; short by default, so
 * that {@code ./mvnw gatling:test} stays quick); each opens {@code $connect} (presigned with SigV4 for an IAM API,
 * {@link RequestAuth#connectUrl}), sends the check's messages through its route one after another, awaiting each reply
 * and checking it contains {@code expectReply}, then closes. Every reply's round trip, from just before the send to the
 * reply's check, is recorded as {@code MessageRoundTrip} into the same recorder and catalogue as the probe's
 * ({@link ProbeMetrics#recordMessageRoundTrip}). Against the lab (default, an embedded demo lab) or a real estate
 * ({@code -Dvpcanary.target=aws}). Pushes through {@code @connections}, negative checks and connect-only checks are
 * the probe's ({@code vpcanary probe}).
 */
public class WebSocketSimulation extends Simulation {

    /** Default new connections per second per check × access path × region. */
    static final String DEFAULT_RATE = "5";
    /** Default injection time: a few seconds, since this runs with every {@code gatling:test}. */
    static final String DEFAULT_DURATION = "3s";
    /** How long a reply may take. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private final SimulationClient client;
    private final SimulationMetrics metrics;

    public WebSocketSimulation() throws IOException {
        SimulationSettings settings = SimulationSettings.fromSystemProperties();
        double rate = Double.parseDouble(property("vpcanary.wsRate", DEFAULT_RATE));
        Duration duration = SimulationSettings.parseDuration("vpcanary.wsDuration",
                property("vpcanary.wsDuration", DEFAULT_DURATION));
        metrics = SimulationMetrics.fromSystemProperties();
        try {
            client = SimulationClient.open(settings);
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
        try {
            PathPlan plan = PathPlan.webSockets(client.estate(), client.client());
            if (plan.requests().isEmpty()) {
                System.out.println("vpcanary: WebSocketSimulation: nothing to drive: " + client.description()
                        + " has no WebSocket check that exchanges messages from " + client.client().vantages() + " "
                        + plan.skipped());
                setUp(scenario("nothing to drive").exec(session -> session).injectOpen(atOnceUsers(1)));
                return;
            }
            RequestAuth auth = RequestAuth.of(client.estate(), client.client().auth());
            auth.prepare(plan);
            Map<String, HttpProtocolBuilder> protocols = VantageProtocols.of(plan);
            System.out.printf("vpcanary: WebSocketSimulation driving %s: %d WebSocket targets, %s connections/s each "
                    + "for %s%n", client.description(), plan.requests().size(), rate, duration);
            plan.skipped().forEach(s -> System.out.println("  not driven: " + s));
            List<PopulationBuilder> populations = new ArrayList<>();
            List<Assertion> assertions = new ArrayList<>();
            for (PathRequest r : plan.requests()) {
                System.out.printf("  %s: %s%n", r.name(), r.url());
                populations.add(scenario(r.name()).exec(chainOf(r, client.estate(), auth, metrics.recorder()))
                        .injectOpen(constantUsersPerSec(rate).during(duration))
                        .protocols(protocols.get(r.view())));
                assertions.add(details(r.name() + " $connect").failedRequests().percent().is(0.0));
                assertions.add(details(r.name() + " reply").failedRequests().percent().is(0.0));
            }
            setUp(populations).assertions(assertions);
        } catch (RuntimeException e) {
            client.close();
            metrics.close();
            throw e;
        }
    }

    /** One virtual user of {@code r}: connect, the check's messages each awaited and checked, close. */
    static ChainBuilder chainOf(PathRequest r, Estate estate, RequestAuth auth, Recorder recorder) {
        Target t = r.target();
        Api api = estate.api(t.api()).orElseThrow();
        WebSocketCheck spec = WebSocketCheck.of(estate, t.api(), t.check());
        String text = spec.messageText(api);
        Map<String, String> dims = ProbeMetrics.targetDimensions(t.api(), t.check(), t.accessPath().name(), t.region(),
                t.vantage());
        WsFrameCheck.Text reply = ws.checkTextMessage(r.name() + " reply").check(
                bodyString().transformWithSession((body, session) -> {
                    ProbeMetrics.recordMessageRoundTrip(recorder, dims,
                            (System.nanoTime() - session.getLong("sentAt")) / 1e6);
                    return body;
                }));
        if (spec.expectReply() != null) {
            reply = reply.check(substring(spec.expectReply()).exists());
        }
        WsFrameCheck.Text replyCheck = reply;
        return exec(session -> session.set("wsUrl", auth.connectUrl(r)))
                .exec(ws(r.name() + " $connect").wsName(r.name()).connect("#{wsUrl}").headers(r.headers()))
                .repeat(spec.messages()).on(
                        exec(session -> session.set("sentAt", System.nanoTime()))
                                .exec(ws(r.name() + " send").wsName(r.name()).sendText(text)
                                        .await(REPLY_TIMEOUT).on(replyCheck)))
                .exec(ws(r.name() + " close").wsName(r.name()).close());
    }

    private static String property(String name, String orElse) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? orElse : v;
    }

    @Override
    public void after() {
        client.close(metrics);
    }
}
