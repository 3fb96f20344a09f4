package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one input of vpcanary: the APIs of an estate, the network clients call them from, the checks to run, the
 * routing domains and the lab topology. Load it with {@link EstateLoader}, which validates it.
 */
public record Estate(
        @JsonPropertyDescription("12-digit AWS account id owning the APIs; used in execute-api ARNs.") String account,
        @JsonPropertyDescription("VPCs and execute-api VPC endpoints.") Network network,
        @JsonPropertyDescription("The APIs.") List<Api> apis,
        @JsonPropertyDescription("Multi-region routing domains.") List<RoutingDomain> routingDomains,
        @JsonPropertyDescription("Simulated topology for vpcanary lab.") Lab lab,
        @JsonPropertyDescription("Whole-estate load runs (vpcanary load run): the weights of the mix.") Load load) {

    /** Name of the vantage point outside every VPC. */
    public static final String ON_PREMISES = "on-premises";

    public Estate {
        if (network == null) {
            network = new Network(null, null);
        }
        apis = apis == null ? List.of() : List.copyOf(apis);
        routingDomains = routingDomains == null ? List.of() : List.copyOf(routingDomains);
        if (lab == null) {
            lab = Lab.DEFAULT;
        }
        if (load == null) {
            load = Load.NONE;
        }
    }

    /** An estate without a {@code load} section. */
    public Estate(String account, Network network, List<Api> apis, List<RoutingDomain> routingDomains, Lab lab) {
        this(account, network, apis, routingDomains, lab, null);
    }

    public Optional<Api> api(String name) {
        return apis.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** Every region that an API of the estate is deployed to, in order of first mention. */
    public Set<String> regions() {
        Set<String> out = new LinkedHashSet<>();
        apis.forEach(a -> a.regions().forEach(r -> out.add(r.region())));
        network.vpcs().forEach(v -> out.add(v.region()));
        return out;
    }

    /** Names of every vantage point: each VPC by name, then {@value #ON_PREMISES}. */
    public List<String> vantagePoints() {
        var names = new java.util.ArrayList<String>();
        network.vpcs().forEach(v -> names.add(v.name()));
        names.add(ON_PREMISES);
        return List.copyOf(names);
    }
}
