package io.vpcanary.dashboards.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.EstateLoader;
import io.vpcanary.testing.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checked-in alarms of the demo estate, {@code dashboards/examples/alarms/}, are the generator's. */
class AlarmExamplesTest {

    static final Path DIR = Repository.root().resolve("dashboards/examples/alarms");
    private static final String REGENERATE = " has drifted from the generator: regenerate it with "
            + "bin/vpcanary alarms generate --out dashboards/examples/alarms";

    private static final AlarmPlan DEMO = AlarmPlan.of(EstateLoader.demo(), AlarmPlan.Settings.DEFAULT);

    @Test
    void thePlanIsTheGeneratorsForTheDemoEstate() throws Exception {
        assertThat(Files.readString(DIR.resolve("alarms.json"), StandardCharsets.UTF_8))
                .as("dashboards/examples/alarms/alarms.json" + REGENERATE).isEqualTo(DEMO.toJson());
    }

    @Test
    void theTemplateIsTheGeneratorsForTheDemoEstate() throws Exception {
        assertThat(Files.readString(DIR.resolve("template.yaml"), StandardCharsets.UTF_8))
                .as("dashboards/examples/alarms/template.yaml" + REGENERATE)
                .isEqualTo(AlarmTemplate.render(DEMO, "the demo estate"));
    }

    @Test
    void cfnLintAcceptsTheCheckedInTemplate() throws Exception {
        AlarmPlanTest.cfnLint(DIR.resolve("template.yaml"));
    }
}
