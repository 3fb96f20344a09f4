package io.vpcanary.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Drift between an account (here the demo estate, as if discovered) and estate files that monitor less or more. */
class DriftTest {

    private static final Estate ACCOUNT = EstateLoader.demo();

    private static Estate file(String text) throws Exception {
        return EstateLoader.parse(Path.of("estate.yaml"), text);
    }

    @Test
    void theSameEstateHasNoDriftAndFullCoverage() {
        Drift d = Drift.between(ACCOUNT, ACCOUNT);
        assertThat(d.unmonitored()).isEmpty();
        assertThat(d.stale()).isEmpty();
        assertThat(d.coverage()).isEqualTo(100.0);
        assertThat(d.accountItems()).isGreaterThan(20);
        assertThat(d.lines()).last().asString().startsWith("coverage 100.0 %: ");
    }

    @Test
    void anApiLeftOutOfTheFileIsUnmonitoredWithItsPaths() throws Exception {
        String text = EstateLoader.demoText();
        String without = text.substring(0, text.indexOf("  # A regional REST API whose integration"))
                + text.substring(text.indexOf("  # A private REST API protected by IAM"));
        Drift d = Drift.between(ACCOUNT, file(without));
        assertThat(d.unmonitored()).filteredOn(i -> i.kind() == Drift.Kind.API).extracting(Drift.Item::description)
                .containsExactly("inventory us-east-1 invtryeast (REST REGIONAL, stage prod)");
        assertThat(d.unmonitored()).filteredOn(i -> i.kind() == Drift.Kind.PATH).extracting(Drift.Item::description)
                .containsExactly("inventory us-east-1 REGIONAL from on-premises");
        assertThat(d.stale()).isEmpty();
        assertThat(d.coverage()).isLessThan(100.0).isGreaterThan(90.0);
        assertThat(d.lines()).contains("unmonitored     API             inventory us-east-1 invtryeast (REST REGIONAL, "
                + "stage prod)");
    }

    @Test
    void renamingAnApiOrAVpcInTheFileIsNotDrift() throws Exception {
        String renamed = EstateLoader.demoText().replace("- name: inventory", "- name: stock")
                .replace("canary-west", "west-canaries");
        Drift d = Drift.between(ACCOUNT, file(renamed));
        assertThat(d.unmonitored()).isEmpty();
        assertThat(d.stale()).isEmpty();
    }

    @Test
    void aCheckMovedToAnotherVantageLeavesItsPathUnmonitoredAndNegativeChecksMonitorNothing() throws Exception {
        // the file calls list-items from canary-east: REGIONAL from on-premises is no longer checked to work. The
        // account's REGIONAL path from canary-east is checked there only by a negative check (regional name from a
        // private-DNS VPC: DNS_CONFLICT), which monitors nothing, so the file's path from canary-east is not the account's

        String text = EstateLoader.demoText().replace("""
                      - name: list-items
                        path: /items
                """, """
                      - name: list-items
                        path: /items
                        from: canary-east
                """);
        Drift d = Drift.between(ACCOUNT, file(text));
        assertThat(d.unmonitored()).extracting(Drift.Item::description)
                .containsExactly("inventory us-east-1 REGIONAL from on-premises");
        assertThat(d.stale()).extracting(Drift.Item::description)
                .containsExactly("inventory us-east-1 REGIONAL from canary-east");
    }
}
