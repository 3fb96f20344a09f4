package io.vpcanary.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.dashboards.CloudWatchDashboards.Dashboard;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.metrics.ProbeMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Dashboards of dual-stack targets: the probe checks a dual-stack name over IPv4 and over IPv6 and records the latter
 * with {@code IpFamily=IPv6}, so the generated graphs plot both where the estate declares a name dual-stack, the
 * IPv6 line only for an endpoint with IPv6 records alone, and nothing new for an IPv4 estate.
 */
class DualStackDashboardsTest {

    private static List<CloudWatchDashboardsTest.Line> lines(io.vpcanary.estate.Estate estate) throws Exception {
        List<Dashboard> ds = CloudWatchDashboards.generate(estate, DashboardSettings.defaults());
        java.util.List<CloudWatchDashboardsTest.Line> out = new java.util.ArrayList<>();
        for (Dashboard d : ds) {
            out.addAll(CloudWatchDashboardsTest.lines(d));
        }
        return out;
    }

    @Test
    void theFullDemoPlotsIpv6BesideIpv4WhereItsNamesAreDualStack() throws Exception {
        List<CloudWatchDashboardsTest.Line> all = lines(EstateLoader.fullDemo());
        List<CloudWatchDashboardsTest.Line> quotes = all.stream()
                .filter(l -> l.metric().equals(ProbeMetrics.LATENCY) && "quotes".equals(l.dims().get("Api"))
                        && l.dims().containsKey("Check") && l.stat().equals("p99"))
                .toList();
        assertThat(quotes).extracting(l -> l.dims().get(ProbeMetrics.D_IP_FAMILY))
                .as("the dual-stack HTTP API: its IPv4 series as always, and the IPv6 one")
                .containsExactlyInAnyOrder(null, "IPv6");
        List<CloudWatchDashboardsTest.Line> partner = all.stream()
                .filter(l -> l.metric().equals(ProbeMetrics.SUCCESS) && "partner-east".equals(l.dims().get("Vantage")))
                .toList();
        assertThat(partner).isNotEmpty()
                .as("an endpoint with IPv6 records only: IPv6 series only")
                .allMatch(l -> "IPv6".equals(l.dims().get(ProbeMetrics.D_IP_FAMILY)));
    }

    @Test
    void anIpv4EstateHasNoIpFamilyDimension() throws Exception {
        assertThat(lines(EstateLoader.demo())).noneMatch(l -> l.dims().containsKey(ProbeMetrics.D_IP_FAMILY));
    }
}
