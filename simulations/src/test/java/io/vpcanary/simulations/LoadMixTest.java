package io.vpcanary.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.estate.Load;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mix's knobs: parsing, the estate's weights under the command line's, and the checks against the estate. */
class LoadMixTest {

    @Test
    void propertiesParse() {
        LoadMix mix = LoadMix.from(Map.of("vpcanary.regions", "us-east-1, us-west-2", "vpcanary.weights",
                "orders=3, orders:list-orders=0.5", "vpcanary.progress", "2s"));
        assertThat(mix.regions()).containsExactly("us-east-1", "us-west-2");
        assertThat(mix.weights()).isEqualTo(Map.of("orders", 3.0, "orders:list-orders", 0.5));
        assertThat(mix.progress()).isEqualTo(Duration.ofSeconds(2));
        assertThat(LoadMix.from(Map.of()).progress()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> LoadMix.from(Map.of("vpcanary.weights", "orders=-1")))
                .hasMessageContaining("vpcanary.weights takes API=W");
        assertThatThrownBy(() -> LoadMix.from(Map.of("vpcanary.progress", "0s")))
                .hasMessageContaining("vpcanary.progress");
    }

    @Test
    void theEstatesWeightsApplyUnlessTheCommandLineGivesTheSameKey() {
        Estate demo = EstateLoader.demo();
        Estate weighted = new Estate(demo.account(), demo.network(), demo.apis(), demo.routingDomains(), demo.lab(),
                new Load(Map.of("orders", 3.0, "ledger", 0.0)));
        LoadMix mix = LoadMix.from(Map.of("vpcanary.weights", "ledger=2")).over(weighted);
        assertThat(mix.weights()).isEqualTo(Map.of("orders", 3.0, "ledger", 2.0));
        assertThat(LoadMix.from(Map.of()).over(demo).weights()).isEmpty();
    }

    @Test
    void regionsAndWeightedApisMustBeInTheEstate() {
        Estate demo = EstateLoader.demo();
        assertThatThrownBy(() -> LoadMix.from(Map.of("vpcanary.regions", "mars-north-1")).check(demo))
                .hasMessageContaining("vpcanary.regions names mars-north-1").hasMessageContaining("us-east-1");
        assertThatThrownBy(() -> LoadMix.from(Map.of("vpcanary.weights", "nosuch=1")).check(demo))
                .hasMessageContaining("vpcanary.weights names API nosuch").hasMessageContaining("orders");
    }

    @Test
    void usersAreGatlingsConstantRateCount() {
        assertThat(LoadMix.users(3.75, Duration.ofSeconds(20))).isEqualTo(75);
        assertThat(LoadMix.users(0.4545, Duration.ofSeconds(2))).isEqualTo(1);
        assertThat(LoadMix.users(0.2, Duration.ofSeconds(2))).isZero();
    }
}
