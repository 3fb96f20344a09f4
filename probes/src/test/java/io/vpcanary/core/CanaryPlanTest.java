package io.vpcanary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/** Vantage selection and planning, without sending anything. */
class CanaryPlanTest {

    private static final Estate DEMO = EstateLoader.demo();

    static ClientEnvironment aws(List<String> vantages, List<String> resolvers) {
        return ClientEnvironment.aws(DEMO, new ClientEnvironment.AwsSettings(vantages, resolvers, null, null, null,
                AnonymousCredentialsProvider.create(), name -> null));
    }

    @Test
    void oneVantageRunsOnlyItsTargetsAndCountsWhatItLeavesToOthers() {
        CanaryPlan plan = CanaryPlan.of(DEMO, aws(List.of("canary-east"), List.of("127.0.0.1:53")));
        List<Target> all = TargetPlanner.forAws(DEMO).targets();
        assertThat(plan.targets()).isNotEmpty().allSatisfy(t -> assertThat(t.vantage()).isEqualTo("canary-east"));
        assertThat(plan.targets()).containsExactlyElementsOf(
                all.stream().filter(t -> t.vantage().equals("canary-east")).toList());
        Map<String, Integer> others = all.stream().filter(t -> !t.vantage().equals("canary-east"))
                .collect(Collectors.toMap(Target::vantage, t -> 1, Integer::sum));
        assertThat(plan.leftToOthers()).isEqualTo(others);
        assertThat(plan.leftToOthersCount() + plan.targets().size()).isEqualTo(all.size());
        assertThat(plan.header().get(0)).startsWith("standing in canary-east: " + plan.targets().size() + " targets; ")
                .contains("left to other vantages");
    }

    @Test
    void aVpcIdNamesItsVantageAndUnknownNamesListTheEstatesVantages() {
        String id = DEMO.network().vpcs().get(0).id();
        String name = DEMO.network().vpcs().get(0).name();
        assertThat(aws(List.of(id), List.of()).vantages()).containsExactly(name);
        assertThatThrownBy(() -> aws(List.of("vpc-nope"), List.of()))
                .hasMessageContaining("unknown vantage 'vpc-nope'").hasMessageContaining(name)
                .hasMessageContaining("on-premises");
    }

    @Test
    void awsModeNeedsAVantageAndSeveralVantagesNeedOneResolverEach() {
        assertThatThrownBy(() -> aws(List.of(), List.of())).hasMessageContaining("say where this client stands");
        assertThatThrownBy(() -> aws(List.of("canary-east", "canary-west"), List.of()))
                .hasMessageContaining("no resolver for vantage canary-east, canary-west");
        assertThatThrownBy(() -> aws(List.of("canary-east", "canary-west"), List.of("127.0.0.1:53")))
                .hasMessageContaining("VANTAGE=HOST:PORT");
        assertThatThrownBy(() -> aws(List.of("canary-east"), List.of("canary-west=127.0.0.1:53")))
                .hasMessageContaining("not selected");
        ClientEnvironment two = aws(List.of("canary-east", "canary-west"),
                List.of("canary-east=127.0.0.1:53", "canary-west=127.0.0.2:53"));
        assertThat(two.vantages()).containsExactly("canary-east", "canary-west");
        assertThat(two.resolvers().describe("canary-west")).contains("127.0.0.2");
        assertThat(aws(List.of("canary-east"), List.of()).resolvers().describe("canary-east"))
                .isEqualTo("system resolver");
    }

    @Test
    void aWebSocketApiIsPlannedWithWssTargetsOnAwsAndFromEveryVantage() throws Exception {
        Estate estate = EstateLoader.demo();
        ClientEnvironment client = ClientEnvironment.aws(estate, new ClientEnvironment.AwsSettings(
                List.of("on-premises"), List.of(), null, null, null, AnonymousCredentialsProvider.create(),
                name -> null));
        CanaryPlan plan = CanaryPlan.of(estate, client);
        assertThat(plan.notPlanned()).isEmpty();
        assertThat(plan.targets()).filteredOn(t -> t.api().equals("live"))
                .extracting(t -> t.check() + " " + t.accessPath() + " " + t.url())
                .containsExactlyInAnyOrder(
                        "echo-and-push REGIONAL wss://livewseast.execute-api.us-east-1.amazonaws.com/prod",
                        "echo-and-push CUSTOM_DOMAIN wss://live.east.example.com/",
                        "oversize-closed-1009 REGIONAL wss://livewseast.execute-api.us-east-1.amazonaws.com/prod",
                        "oversize-closed-1009 CUSTOM_DOMAIN wss://live.east.example.com/");
        assertThat(plan.leftToOthers()).containsKey("canary-east");
        List<Target> onAws = CanaryPlan.onAws(estate);
        assertThat(onAws).containsExactlyElementsOf(TargetPlanner.forAws(estate).targets());
        assertThat(onAws).filteredOn(t -> t.api().equals("live")).hasSize(5);
        assertThat(onAws).containsExactlyInAnyOrderElementsOf(CanaryPlan.byVantage(estate).values().stream()
                .flatMap(List::stream).toList());
    }
}
