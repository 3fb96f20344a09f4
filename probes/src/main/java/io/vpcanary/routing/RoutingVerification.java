package io.vpcanary.routing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * What {@code vpcanary routing verify} found for one routing domain from one vantage (docs/routing.md): the verdict,
 * the counts it rests on, and for a weighted domain the chi-square test.
 *
 * @param domain           the routing domain
 * @param policy           FAILOVER, WEIGHTED or LATENCY
 * @param vantage          where the client stood
 * @param verdict          PASS, FAIL, or INCONCLUSIVE (a weighted test over answers a caching resolver gave)
 * @param message          one line saying why
 * @param samples          requests made
 * @param resolutions      DNS answers received fresh (not reused from the client's cache)
 * @param cachedAnswers    of those, answers whose TTL was below the domain's (a caching resolver answered)
 * @param ttlSeconds       the TTL the answers carried (the largest seen)
 * @param expected         expected share of traffic per region
 * @param resolved         fresh DNS answers per region (by the answered address)
 * @param served           requests per region that served them (the answer's {@code region}), {@code unknown} when
 *                         the answer named none
 * @param errors           requests or resolutions that failed, per reason
 * @param statistic        WEIGHTED: the chi-square statistic over {@code resolved}; else null
 * @param degreesOfFreedom WEIGHTED: its degrees of freedom
 * @param pValue           WEIGHTED: its p-value
 * @param alpha            the significance level ({@value ChiSquare#ALPHA})
 * @param deviation        WEIGHTED: the deviation the sample size was computed to detect
 * @param requiredSamples  WEIGHTED: the fresh resolutions needed to detect it with power {@value ChiSquare#POWER}
 * @param warnings         what makes the result weaker than it looks
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"domain", "policy", "vantage", "verdict", "message"})
public record RoutingVerification(String domain, String policy, String vantage, String verdict, String message,
                                  long samples, long resolutions, long cachedAnswers, Long ttlSeconds,
                                  Map<String, Double> expected, Map<String, Long> resolved, Map<String, Long> served,
                                  Map<String, Long> errors, Double statistic, Integer degreesOfFreedom, Double pValue,
                                  double alpha, Double deviation, Long requiredSamples, List<String> warnings) {

    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";
    public static final String INCONCLUSIVE = "INCONCLUSIVE";

    /** Whether the verdict is PASS. */
    public boolean passed() {
        return PASS.equals(verdict);
    }

    /** Pretty-printed JSON with a trailing newline. */
    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
