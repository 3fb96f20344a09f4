package io.vpcanary.lab.http;

import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.VpcEndpoint;
import io.vpcanary.lab.LabAddressPlan;
import io.vpcanary.lab.LabView;
import io.vpcanary.lab.tls.LabCa;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * Test-side clients of the lab: TLS trusting the lab CA through its PKCS12 trust store, and an OkHttp {@link Dns}
 * answering each lab name the way one resolver view would (built from the address plan and the estate's naming
 * methods; the lab's DNS server is not involved).
 */
public final class LabClients {

    /** The demo estate's us-east-1 execute-api VPC endpoint hostname. */
    public static final String DEMO_EAST_VPCE = "vpce-0e1a00000000000a1-k3x9q2ab.execute-api.us-east-1.vpce.amazonaws.com";

    private LabClients() {
    }

    /** The demo estate's text with {@code lines} (each ending in a newline) added to the orders API's fields. */
    public static String demoWithOrders(String lines) {
        String orders = "  - name: orders\n    type: REST\n    endpointType: PRIVATE\n    stage: prod\n";
        String text = io.vpcanary.estate.EstateLoader.demoText();
        if (!text.contains(orders)) {
            throw new IllegalStateException("the demo estate no longer has the orders API as expected");
        }
        return text.replace(orders, orders + lines);
    }

    /** A trust manager loaded from the CA's PKCS12 trust store with its documented password. */
    public static X509TrustManager trustManager(LabCa ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ca.trustStore())) {
            ks.load(in, ca.trustStorePassword().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }

    public static SSLContext sslContext(LabCa ca) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {trustManager(ca)}, null);
        return ctx;
    }

    /** An OkHttp client trusting the lab CA and resolving with {@code dns}. */
    public static OkHttpClient.Builder client(LabCa ca, Dns dns) throws Exception {
        X509TrustManager tm = trustManager(ca);
        return new OkHttpClient.Builder()
                .sslSocketFactory(sslContext(ca).getSocketFactory(), tm)
                .dns(dns)
                .retryOnConnectionFailure(false)
                .callTimeout(Duration.ofSeconds(20));
    }

    /** A resolver that answers every name with {@code address}. */
    public static Dns pinned(InetAddress address) {
        return host -> List.of(address);
    }

    /**
     * The answers of resolver view {@code viewName}: endpoint names resolve everywhere; alias names to their
     * endpoint; private custom domains to their endpoint; other execute-api names to the view's private-DNS
     * endpoint of that region when there is one, else to the region's public front door; public custom domains to
     * the public front door.
     */
    public static Dns view(Estate estate, LabAddressPlan plan, String viewName) {
        LabView view = plan.view(viewName);
        Map<String, List<InetAddress>> names = new LinkedHashMap<>();
        for (VpcEndpoint e : estate.network().vpcEndpoints()) {
            String region = estate.network().regionOf(e);
            List<InetAddress> addrs = plan.endpointAddresses(e.id());
            names.put(e.regionalDnsName(region), addrs);
            for (int z = 0; z < e.zones().size(); z++) {
                names.put(e.zonalDnsName(region, e.zones().get(z)), List.of(addrs.get(z)));
            }
        }
        for (Api api : estate.apis()) {
            for (ApiRegion r : api.regions()) {
                for (String vpce : r.vpcEndpoints()) {
                    names.put(r.aliasHost(vpce), plan.endpointAddresses(vpce));
                }
                for (CustomDomain cd : r.customDomains()) {
                    names.put(cd.domain(), cd.vpcEndpoint() != null ? plan.endpointAddresses(cd.vpcEndpoint())
                            : List.of(plan.regionalFrontDoor(r.region())));
                }
            }
        }
        return host -> {
            String h = host.toLowerCase(Locale.ROOT);
            List<InetAddress> a = names.get(h);
            if (a != null) {
                return a;
            }
            for (String region : plan.regions()) {
                if (h.endsWith(".execute-api." + region + ".amazonaws.com")) {
                    if (!view.onPremises() && view.privateDns() && region.equals(view.region())) {
                        VpcEndpoint e = estate.network().endpointsIn(view.vpcId()).stream()
                                .filter(VpcEndpoint::privateDnsEnabled).findFirst().orElseThrow();
                        return plan.endpointAddresses(e.id());
                    }
                    return List.of(plan.regionalFrontDoor(region));
                }
            }
            throw new UnknownHostException(host + " (lab test view " + viewName + ")");
        };
    }
}
