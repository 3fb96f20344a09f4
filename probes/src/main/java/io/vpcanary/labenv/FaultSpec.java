package io.vpcanary.labenv;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.Objects;

/**
 * A fault to inject into a running lab (docs/lab.md#faults): what breaks, where, how much and for how long. It
 * expires by itself after {@code duration}.
 *
 * @param kind      what breaks
 * @param target    where, as {@link Kind} says for each kind
 * @param rate      ERROR_RATE: the share of requests answered with an error, above 0 and at most 1; else null
 * @param latencyMs LATENCY: milliseconds added to every answer, at least 1; else null
 * @param duration  how long until it expires by itself (at least 1 s, at most a day)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaultSpec(Kind kind, String target, Double rate, Long latencyMs, Duration duration) {

    /** The longest a fault may last. */
    public static final Duration MAX_DURATION = Duration.ofDays(1);

    /** What a fault breaks, and what its target names. */
    public enum Kind {
        /** Target: a region. Every front door of the region refuses connections (TCP RST). */
        REGION_OUTAGE,
        /** Target: a region or a VPC endpoint id. Connections are accepted and never answered. */
        BLACKHOLE,
        /** Target: a region, or {@code api/region}. A share {@code rate} of requests get a 502, 503 or 504. */
        ERROR_RATE,
        /** Target: a region, or {@code api/region}. Every answer comes {@code latencyMs} later. */
        LATENCY,
        /** Target: a DNS name (a routing domain, say), or {@code *} for every name. Resolvers answer SERVFAIL. */
        DNS_SERVFAIL,
        /** Target: a VPC endpoint id. Its interfaces refuse connections (TCP RST). */
        ENDPOINT_DOWN,
        /**
         * Target: a routing record, as {@code domain/setIdentifier}, or a health alarm name. Every observation of its
         * health check fails, so the check turns unhealthy after its failure threshold (Inverted still applies).
         */
        HEALTH_CHECK_FAILING
    }

    public FaultSpec {
        Objects.requireNonNull(kind, "kind");
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException(kind + " needs a target: " + targetHelp(kind));
        }
        Objects.requireNonNull(duration, "duration");
        if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("a fault lasts from 1 s to 24 h, was " + duration);
        }
        if (kind == Kind.ERROR_RATE) {
            if (rate == null || !(rate > 0 && rate <= 1)) {
                throw new IllegalArgumentException("ERROR_RATE needs a rate above 0 and at most 1");
            }
        } else if (rate != null) {
            throw new IllegalArgumentException("only ERROR_RATE takes a rate");
        }
        if (kind == Kind.LATENCY) {
            if (latencyMs == null || latencyMs < 1 || latencyMs > 600_000) {
                throw new IllegalArgumentException("LATENCY needs latencyMs from 1 to 600000");
            }
        } else if (latencyMs != null) {
            throw new IllegalArgumentException("only LATENCY takes latencyMs");
        }
    }

    /** A fault without rate or latency. */
    public static FaultSpec of(Kind kind, String target, Duration duration) {
        return new FaultSpec(kind, target, null, null, duration);
    }

    /** What the target of {@code kind} names. */
    public static String targetHelp(Kind kind) {
        return switch (kind) {
            case REGION_OUTAGE -> "a region";
            case BLACKHOLE -> "a region or a VPC endpoint id";
            case ERROR_RATE, LATENCY -> "a region, or api/region";
            case DNS_SERVFAIL -> "a DNS name, or * for every name";
            case ENDPOINT_DOWN -> "a VPC endpoint id";
            case HEALTH_CHECK_FAILING -> "a routing record as domain/setIdentifier, or a health alarm name";
        };
    }
}
