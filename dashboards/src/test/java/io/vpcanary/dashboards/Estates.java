package io.vpcanary.dashboards;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingPolicy;
import io.vpcanary.estate.RoutingRecord;
import java.util.ArrayList;
import java.util.List;

/** Estates built from the demo for the dashboard tests. */
public final class Estates {

    private Estates() {
    }

    /** The demo with {@code n} APIs: copies of the demo's APIs in turn, named {@code {api}-{i}}. */
    public static Estate demoWithApis(int n) {
        Estate demo = EstateLoader.demo();
        List<Api> apis = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Api a = demo.apis().get(i % demo.apis().size());
            apis.add(new Api(a.name() + "-" + i, a.type(), a.endpointType(), a.stage(), a.auth(), a.regions(),
                    a.resourcePolicy(), a.integration(), a.resources(), a.checks(), a.alarms(), a.endpointAccessMode(),
                    a.securityPolicy(), a.routeSelectionExpression(), a.routes(), a.ipAddressType()));
        }
        return new Estate(demo.account(), demo.network(), apis, demo.routingDomains(), demo.lab());
    }

    /** The demo without its routing domains: no API is routed. */
    public static Estate demoWithoutRouting() {
        Estate demo = EstateLoader.demo();
        return new Estate(demo.account(), demo.network(), demo.apis(), List.of(), demo.lab());
    }

    /** The demo with a failover routing domain over orders' two regions. */
    public static Estate demoWithOrdersFailover() {
        Estate demo = EstateLoader.demo();
        RoutingDomain domain = new RoutingDomain("orders.internal.example.com", RoutingPolicy.FAILOVER, List.of(
                new RoutingRecord("orders", "us-east-1", "PRIMARY", null, null),
                new RoutingRecord("orders", "us-west-2", "SECONDARY", null, null)));
        return new Estate(demo.account(), demo.network(), demo.apis(), List.of(domain), demo.lab());
    }
}
