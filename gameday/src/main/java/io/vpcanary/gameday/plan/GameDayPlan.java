package io.vpcanary.gameday.plan;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.vpcanary.core.Durations;
import io.vpcanary.labenv.FaultSpec;
import java.time.Duration;
import java.util.List;

/**
 * A game day (docs/gameday.md): probe a routing domain at a fixed rate from one or more vantages, inject one fault,
 * hold it, restore, keep probing, and measure what clients saw. Read from YAML by {@link GameDayPlans}, validated with
 * {@code file:line:column} problems; {@code docs/gameday-plan.schema.json} is its JSON Schema.
 */
public record GameDayPlan(
        @JsonPropertyDescription("A name for the game day, in reports and metrics.") String name,
        @JsonPropertyDescription("The routing domain to probe (routingDomains[].domain of the estate).") String domain,
        @JsonPropertyDescription("Request path on the domain, such as /orders. Default: the path of the first GET check of the domain's first record's API that expects success.") String path,
        @JsonPropertyDescription("Vantages to probe from (VPC names of the estate, or on-premises). Default: every vantage the lab serves; required against AWS.") List<String> vantages,
        @JsonPropertyDescription("Probes per second from each vantage, 1 to 50 (measurements to 1 s or better). Default 5.") Double rate,
        @JsonPropertyDescription("Timeout of one probe (a duration such as 2s). Default 2s.") String timeout,
        @JsonPropertyDescription("Probing before the fault: the steady state. Default 10s.") String steadyState,
        @JsonPropertyDescription("The fault: exactly one injector.") Fault fault,
        @JsonPropertyDescription("How long the fault is held before it is restored. Default 30s.") String hold,
        @JsonPropertyDescription("Probing after the restore, to see the failback. Default 30s.") String recovery,
        @JsonPropertyDescription("When to stop early (and restore at once).") Abort abort,
        @JsonPropertyDescription("IAM APIs: SIGV4_PRIMARY_REGION signs with SigV4 for the primary's region (after a failover the secondary refuses it: a signing-region mismatch), SIGV4_ANSWERING_REGION for the region the name resolves to at each request, SIGV4A for every region of the API. Default: SIGV4A when the API's auth.signing is SIGV4A, else SIGV4_PRIMARY_REGION.") Signing signing,
        @JsonPropertyDescription("What the game day must show to pass.") Expect expect) {

    /** How a game day signs requests to an IAM API. */
    public enum Signing {
        /** SigV4 for the primary record's region, as a client that resolved the region once would. */
        SIGV4_PRIMARY_REGION,
        /** SigV4 for the region the domain resolves to at each request (the region that answers). */
        SIGV4_ANSWERING_REGION,
        /** SigV4a for every region of the API. */
        SIGV4A
    }

    public static final double DEFAULT_RATE = 5;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_STEADY_STATE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RECOVERY = Duration.ofSeconds(30);

    public GameDayPlan {
        vantages = vantages == null ? List.of() : List.copyOf(vantages);
        if (abort == null) {
            abort = new Abort(null, null);
        }
    }

    public double rateOrDefault() {
        return rate == null ? DEFAULT_RATE : rate;
    }

    public Duration timeoutOrDefault() {
        return duration(timeout, DEFAULT_TIMEOUT);
    }

    public Duration steadyStateOrDefault() {
        return duration(steadyState, DEFAULT_STEADY_STATE);
    }

    public Duration holdOrDefault() {
        return duration(hold, DEFAULT_HOLD);
    }

    public Duration recoveryOrDefault() {
        return duration(recovery, DEFAULT_RECOVERY);
    }

    static Duration duration(String text, Duration fallback) {
        return text == null ? fallback : Durations.parse("duration", text);
    }

    /**
     * The fault of a game day: exactly one of the injectors.
     *
     * @param labFault             a fault of a running lab, set over its control channel
     * @param healthCheckInversion Route 53's Inverted on a record's health check, through the SDK
     * @param alarmMetric          a failure value published to the metric a health alarm watches (AWS's documented
     *                             method for alarm-based checks)
     * @param fisExperiment        an AWS FIS experiment started from a template, stopped on restore
     * @param arcRoutingControl    a Route 53 ARC routing control set to a state, set back on restore
     * @param command              a command of the user's own, with the command that restores
     */
    public record Fault(
            @JsonPropertyDescription("A lab fault (vpcanary lab fault): kind and target, as FaultSpec.") LabFault labFault,
            @JsonPropertyDescription("Invert a routing record's Route 53 health check (UpdateHealthCheck Inverted).") HealthCheckInversion healthCheckInversion,
            @JsonPropertyDescription("Publish a failure value to the metric a health alarm watches.") AlarmMetric alarmMetric,
            @JsonPropertyDescription("Start an AWS FIS experiment from a template; stop it on restore.") FisExperiment fisExperiment,
            @JsonPropertyDescription("Set a Route 53 ARC routing control's state; set the previous state back on restore.") ArcRoutingControl arcRoutingControl,
            @JsonPropertyDescription("Run a command of your own; run its restore command on restore.") Command command) {

        /** The injectors given (a valid plan has one). */
        public List<String> given() {
            List<String> out = new java.util.ArrayList<>();
            if (labFault != null) {
                out.add("labFault");
            }
            if (healthCheckInversion != null) {
                out.add("healthCheckInversion");
            }
            if (alarmMetric != null) {
                out.add("alarmMetric");
            }
            if (fisExperiment != null) {
                out.add("fisExperiment");
            }
            if (arcRoutingControl != null) {
                out.add("arcRoutingControl");
            }
            if (command != null) {
                out.add("command");
            }
            return out;
        }
    }

    /** A lab fault: what {@code vpcanary lab fault add} takes; it is held for the plan's {@code hold}. */
    public record LabFault(
            @JsonPropertyDescription("REGION_OUTAGE, BLACKHOLE, ERROR_RATE, LATENCY, DNS_SERVFAIL, ENDPOINT_DOWN or HEALTH_CHECK_FAILING.") FaultSpec.Kind kind,
            @JsonPropertyDescription("What the kind targets: a region, a VPC endpoint id, api/region, a DNS name, or a routing record as domain/setIdentifier.") String target,
            @JsonPropertyDescription("ERROR_RATE: the share of requests answered with an error.") Double rate,
            @JsonPropertyDescription("LATENCY: milliseconds added.") Long latencyMs) {
    }

    /** Route 53's Inverted on one health check, by id or by the routing record (SetIdentifier) that names it. */
    public record HealthCheckInversion(
            @JsonPropertyDescription("The health check's id.") String healthCheckId,
            @JsonPropertyDescription("Or the SetIdentifier of the domain's record whose health check to invert, such as orders-us-east-1.") String record) {
    }

    /** A failure value published to the metric a CloudWatch alarm watches, every {@code interval} while held. */
    public record AlarmMetric(
            @JsonPropertyDescription("The alarm whose metric gets the failure value.") String alarm,
            @JsonPropertyDescription("The alarm's region.") String region,
            @JsonPropertyDescription("The value published. Default 0 (a failed Success sample).") Double value,
            @JsonPropertyDescription("How often it is published while the fault is held. Default 10s.") String interval) {
    }

    /** An AWS FIS experiment. */
    public record FisExperiment(
            @JsonPropertyDescription("The experiment template id.") String templateId,
            @JsonPropertyDescription("The template's region.") String region) {
    }

    /** A Route 53 ARC routing control. */
    public record ArcRoutingControl(
            @JsonPropertyDescription("The routing control's ARN.") String routingControlArn,
            @JsonPropertyDescription("The cluster's regional endpoints (tried in order).") List<String> clusterEndpoints,
            @JsonPropertyDescription("The region of the first endpoint.") String region,
            @JsonPropertyDescription("The state to set: On or Off. Default Off.") String state) {
    }

    /** A command of the user's own, run without a shell. */
    public record Command(
            @JsonPropertyDescription("The command that injects, as a list: [program, arg, ...].") List<String> inject,
            @JsonPropertyDescription("The command that restores, as a list.") List<String> restore) {
    }

    /** When to abort. */
    public record Abort(
            @JsonPropertyDescription("Abort when the share of failed probes since the fault exceeds this (0 to 1). Default: never.") Double errorBudget,
            @JsonPropertyDescription("Abort when any of these CloudWatch alarms is in ALARM.") List<AlarmRef> alarms) {

        public Abort {
            alarms = alarms == null ? List.of() : List.copyOf(alarms);
        }
    }

    /** A CloudWatch alarm by name and region. */
    public record AlarmRef(
            @JsonPropertyDescription("The alarm's name.") String name,
            @JsonPropertyDescription("Its region.") String region) {
    }

    /** What the game day must show. */
    public record Expect(
            @JsonPropertyDescription("The RTO the failover must meet, in seconds.") Double rtoSeconds) {
    }
}
