package io.vpcanary.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.access.AccessPath;
import io.vpcanary.access.AccessPaths;
import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.Check;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.labenv.LabEnvironment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lab's endpoint list (built from its DNS views and front-door addresses) and the probes' target planner are two
 * independent accounts of the same estate: for the demo estate they must agree on every way in, its URL, its headers
 * and the view a client there uses.
 */
class LabEndpointsTest {

    @Test
    void theLabsOwnEndpointsAgreeWithThePlannersTargets() {
        Estate estate = EstateLoader.demo();
        int port = 8443;
        List<LabEnvironment.Endpoint> lab = LabEndpoints.of(estate, LabAddressPlan.of(estate), port);
        TargetPlanner planner = new TargetPlanner(estate, port);
        Check root = new Check("endpoint", null, "/", null, null, null, null, null, null, null, null);
        List<LabEnvironment.Endpoint> planned = new ArrayList<>();
        for (Api api : estate.apis()) {
            for (ApiRegion region : api.regions()) {
                for (AccessPath path : AccessPaths.supported(api)) {
                    planner.target(api, region, path, root).ifPresent((Target t) -> planned.add(
                            new LabEnvironment.Endpoint(api.name(), api.type().name(), region.region(), path.name(),
                                    t.url().toString(), t.headers(), t.vantage())));
                }
            }
        }
        assertThat(lab).isNotEmpty().containsExactlyInAnyOrderElementsOf(planned);
    }
}
