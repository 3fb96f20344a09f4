package io.vpcanary.gameday.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.labenv.FaultSpec;
import io.vpcanary.testing.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Plans read strictly, checked against the estate, every problem at {@code file:line:column}; the schema committed. */
class GameDayPlansTest {

    static final Estate DEMO = EstateLoader.demo();
    static final Path FILE = Path.of("plan.yaml");
    static final String VALID = """
            name: orders-east-outage
            domain: orders.internal.example.com
            vantages: [canary-east]
            rate: 10
            steadyState: 3s
            fault:
              labFault: {kind: REGION_OUTAGE, target: us-east-1}
            hold: 20s
            recovery: 10s
            abort:
              errorBudget: 0.9
              alarms: [{name: vpcanary-orders-us-west-2-success, region: us-west-2}]
            expect: {rtoSeconds: 30}
            """;

    private static EstateException.Problem onlyProblem(String yaml) {
        try {
            GameDayPlans.parse(FILE, yaml, DEMO);
        } catch (EstateException e) {
            assertThat(e.problems()).hasSize(1);
            return e.problems().getFirst();
        }
        throw new AssertionError("no problem found in\n" + yaml);
    }

    @Test
    void aValidPlanReadsWithItsDefaults() throws EstateException {
        GameDayPlan p = GameDayPlans.parse(FILE, VALID, DEMO);
        assertThat(p.fault().labFault().kind()).isEqualTo(FaultSpec.Kind.REGION_OUTAGE);
        assertThat(p.holdOrDefault()).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.timeoutOrDefault()).isEqualTo(GameDayPlan.DEFAULT_TIMEOUT);
        assertThat(p.abort().alarms()).hasSize(1);
    }

    @Test
    void anUnknownFieldIsAtItsLineAndColumn() {
        var p = onlyProblem(VALID.replace("hold: 20s", "holdd: 20s"));
        assertThat(p.toString()).startsWith("plan.yaml:8:1: holdd: unknown field 'holdd' (known fields: abort,");
    }

    @Test
    void twoInjectorsAreRefusedAtTheFault() {
        var p = onlyProblem(VALID.replace("  labFault: {kind: REGION_OUTAGE, target: us-east-1}",
                "  labFault: {kind: REGION_OUTAGE, target: us-east-1}\n  healthCheckInversion: {record: orders-us-east-1}"));
        assertThat(p.field()).isEqualTo("fault");
        assertThat(p.line()).isEqualTo(6);
        assertThat(p.message()).isEqualTo("give exactly one injector (labFault, healthCheckInversion, alarmMetric, "
                + "fisExperiment, arcRoutingControl or command), got labFault, healthCheckInversion");
    }

    @Test
    void referencesToTheEstateAreChecked() {
        var domain = onlyProblem(VALID.replace("domain: orders.internal.example.com", "domain: nope.example.com"));
        assertThat(domain.toString()).isEqualTo("plan.yaml:2:1: domain: no routing domain 'nope.example.com' in the "
                + "estate (domains: orders.internal.example.com, orders-split.internal.example.com)");
        var record = onlyProblem(VALID.replace("labFault: {kind: REGION_OUTAGE, target: us-east-1}",
                "healthCheckInversion:\n    record: orders-eu-west-1"));
        assertThat(record.toString()).isEqualTo("plan.yaml:8:5: fault.healthCheckInversion.record: no record "
                + "'orders-eu-west-1' in orders.internal.example.com (records: orders-us-east-1, orders-us-west-2)");
        var vantage = onlyProblem(VALID.replace("[canary-east]", "[canary-nowhere]"));
        assertThat(vantage.field()).isEqualTo("vantages[0]");
        assertThat(vantage.message()).startsWith("unknown vantage 'canary-nowhere'");
    }

    @Test
    void valuesOutOfRangeAndBadDurationsAreNamed() {
        assertThat(onlyProblem(VALID.replace("hold: 20s", "hold: soon")).toString())
                .startsWith("plan.yaml:8:1: hold: ");
        assertThat(onlyProblem(VALID.replace("rate: 10", "rate: 0.5")).message())
                .isEqualTo("must be from 1 to 50 probes per second (measurements to 1 s or better), was 0.5");
        assertThat(onlyProblem(VALID.replace("errorBudget: 0.9", "errorBudget: 2")).field())
                .isEqualTo("abort.errorBudget");
        assertThat(onlyProblem(VALID.replace("target: us-east-1}", "target: us-east-1, rate: 0.5}")).message())
                .isEqualTo("only ERROR_RATE takes a rate");
        var missing = onlyProblem(VALID.replace("[{name: vpcanary-orders-us-west-2-success, region: us-west-2}]",
                "[{name: vpcanary-orders-us-west-2-success}]"));
        assertThat(missing.field()).isEqualTo("abort.alarms[0].region");
        assertThat(missing.message()).isEqualTo("required");
    }

    @Test
    void anEmptyPlanOrBrokenYamlIsOneProblem() {
        assertThat(onlyProblem("# nothing\n").message()).isEqualTo("the game-day plan file is empty");
        assertThatThrownBy(() -> GameDayPlans.parse(FILE, "domain: [unclosed\n", DEMO))
                .isInstanceOf(EstateException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void committedSchemaIsTheGeneratedOne() throws Exception {
        Path committed = Repository.root().resolve("docs/gameday-plan.schema.json");
        assertThat(Files.readString(committed)).as("docs/gameday-plan.schema.json is not what the model generates; "
                + "regenerate it with `bin/vpcanary gameday schema > docs/gameday-plan.schema.json`")
                .isEqualTo(GameDayPlans.schema());
        assertThat(GameDayPlans.schema()).contains("\"required\" : [ \"domain\", \"fault\" ]");
    }
}
