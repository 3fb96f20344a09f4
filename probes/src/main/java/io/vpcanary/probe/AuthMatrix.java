package io.vpcanary.probe;

import io.vpcanary.access.Target;
import io.vpcanary.estate.AuthType;
import io.vpcanary.estate.Expectation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The negative-auth matrix: for every API with an authorizer, the requests it must refuse.
 *
 * <p>For each API × region whose auth is not NONE, the first positive target (in planner order: the first check's
 * first access path) is taken, and one probe per {@link Refusal} of the API's auth type is derived from it: same URL,
 * headers and body, check name {@code auth-refusal:{label}}, expecting {@link ErrorClass#AUTH_DENIED} (401 or 403).
 * {@link ProbeEngine#probe(Target, Refusal)} spoils the credentials; a 2xx answer is
 * {@link ErrorClass#AUTH_NOT_ENFORCED}.
 *
 * <p>Each API gets one {@link ApiVerdict}: {@link Status#ENFORCED} when every refusal was refused,
 * {@link Status#NOT_ENFORCED} (a security finding) when any got a 2xx, {@link Status#UNPROVEN} otherwise (a refusal
 * probe failed in another way: timeout, 404, ...). Only ENFORCED passes.
 */
public final class AuthMatrix {

    /** One refusal probe: the derived target and how its credentials are spoiled. */
    public record Probe(Target target, Refusal refusal) {
    }

    /** The verdict on one API. */
    public enum Status {
        /** Every refusal was answered 401/403. */
        ENFORCED("auth enforced"),
        /** At least one refusal was answered 2xx: a security finding. */
        NOT_ENFORCED("AUTH NOT ENFORCED (security finding)"),
        /** No 2xx, but some refusal did not get a 401/403 either. */
        UNPROVEN("auth not proven");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        /** How reports print it. */
        public String label() {
            return label;
        }
    }

    /**
     * The verdict on one API.
     *
     * @param api      API name
     * @param auth     its authorizer type
     * @param status   the verdict
     * @param verdict  {@link Status#label()}, for reports
     * @param findings {@code refusal@region} of each refusal answered 2xx
     * @param unproven {@code refusal@region} of each refusal answered neither 2xx nor 401/403
     */
    public record ApiVerdict(String api, AuthType auth, Status status, String verdict, List<String> findings,
                             List<String> unproven) {
        public ApiVerdict {
            findings = List.copyOf(findings);
            unproven = List.copyOf(unproven);
        }
    }

    /**
     * What a matrix run saw.
     *
     * @param run  the outcomes of the refusal probes, in probe order
     * @param apis one verdict per API, in the order of the targets
     */
    public record Result(ProbeRun run, List<ApiVerdict> apis) {
        public Result {
            apis = List.copyOf(apis);
        }

        /** Whether every API enforced its authorizer (true for an empty matrix). */
        public boolean passed() {
            return apis.stream().allMatch(a -> a.status() == Status.ENFORCED);
        }

        /** Whether any API answered a refusal with 2xx. */
        public boolean securityFinding() {
            return apis.stream().anyMatch(a -> a.status() == Status.NOT_ENFORCED);
        }
    }

    private final List<Probe> probes;

    private AuthMatrix(List<Probe> probes) {
        this.probes = List.copyOf(probes);
    }

    /** The matrix of {@code targets} (usually every target of the estate, or those selected). */
    public static AuthMatrix of(List<Target> targets) {
        Set<String> seen = new LinkedHashSet<>();
        List<Probe> probes = new ArrayList<>();
        Expectation denied = new Expectation(null, null, null, ErrorClass.AUTH_DENIED);
        for (Target t : targets) {
            if (t.auth() == null || t.auth() == AuthType.NONE || t.expect().expectsFailure()
                    || !seen.add(t.api() + "\u0000" + t.region())) {
                continue;
            }
            for (Refusal r : Refusal.forType(t.auth())) {
                Target derived = new Target(t.api(), t.apiType(), t.apiId(), t.stage(), t.region(), t.accessPath(),
                        r.checkName(), t.method(), t.url(), t.headers(), t.signedHost(), t.vantage(),
                        t.vpcEndpoint(), t.body(), t.auth(), denied);
                probes.add(new Probe(derived, r));
            }
        }
        return new AuthMatrix(probes);
    }

    /** The refusal probes, API by API. */
    public List<Probe> probes() {
        return probes;
    }

    /** Whether no API of the targets has auth. */
    public boolean isEmpty() {
        return probes.isEmpty();
    }

    /**
     * Sends every refusal probe once, at most {@code parallelism} at a time.
     *
     * @throws InterruptedException when interrupted while waiting; probes in flight are abandoned
     */
    public Result run(ProbeEngine engine, int parallelism) throws InterruptedException {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        ProbeRun run = ProbeRunner.inParallel(probes, parallelism, "vpcanary-auth-matrix-",
                p -> engine.probe(p.target(), p.refusal()));
        List<Outcome> outcomes = run.outcomes();
        return new Result(run, verdicts(outcomes));
    }

    private List<ApiVerdict> verdicts(List<Outcome> outcomes) {
        Map<String, AuthType> types = new LinkedHashMap<>();
        Map<String, List<String>> findings = new LinkedHashMap<>();
        Map<String, List<String>> unproven = new LinkedHashMap<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            Probe p = probes.get(i);
            types.putIfAbsent(o.api(), p.target().auth());
            findings.computeIfAbsent(o.api(), k -> new ArrayList<>());
            unproven.computeIfAbsent(o.api(), k -> new ArrayList<>());
            String cell = p.refusal().label() + "@" + o.region();
            if (o.securityFinding()) {
                findings.get(o.api()).add(cell);
            } else if (!o.passed()) {
                unproven.get(o.api()).add(cell);
            }
        }
        List<ApiVerdict> out = new ArrayList<>();
        types.forEach((api, type) -> {
            Status s = !findings.get(api).isEmpty() ? Status.NOT_ENFORCED
                    : !unproven.get(api).isEmpty() ? Status.UNPROVEN : Status.ENFORCED;
            out.add(new ApiVerdict(api, type, s, s.label(), findings.get(api), unproven.get(api)));
        });
        return out;
    }

    @Override
    public String toString() {
        return "AuthMatrix[" + probes.size() + " refusal probes]";
    }
}
