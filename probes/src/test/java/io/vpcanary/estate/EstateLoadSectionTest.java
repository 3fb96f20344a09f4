package io.vpcanary.estate;

import static io.vpcanary.estate.EstateProblems.lineOf;
import static io.vpcanary.estate.EstateProblems.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The estate's {@code load} section: the weights of whole-estate load runs, each naming an API or an API's check. */
class EstateLoadSectionTest {

    private static String demoWithLoad(String weights) {
        return EstateLoader.demoText() + "\nload:\n  weights:\n" + weights;
    }

    @Test
    void weightsByApiAndByCheckLoad() throws EstateException {
        Estate e = EstateLoader.parse(Path.of("estate.yaml"),
                demoWithLoad("    orders: 3\n    \"orders:list-orders\": 0.5\n    inventory: 0\n"));
        assertThat(e.load().weights()).isEqualTo(Map.of("orders", 3.0, "orders:list-orders", 0.5, "inventory", 0.0));
        assertThat(EstateLoader.demo().load().weights()).isEmpty();
    }

    @Test
    void aWeightOfAnUnknownApiOrCheckOrBelowZeroIsReportedAtItsLine() {
        String yaml = demoWithLoad("    nosuch: 2\n");
        var p = onlyProblem(yaml);
        assertThat(p.message()).contains("no API named 'nosuch'");
        assertThat(p.line()).isEqualTo(lineOf(yaml, "nosuch: 2"));
        assertThat(onlyProblem(demoWithLoad("    \"orders:nocheck\": 1\n")).message())
                .contains("API 'orders' has no check named 'nocheck'");
        assertThat(onlyProblem(demoWithLoad("    orders: -1\n")).message()).contains("a weight is a number 0 or more");
    }
}
