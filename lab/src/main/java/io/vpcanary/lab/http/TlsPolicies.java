package io.vpcanary.lab.http;

import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.CustomDomain;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.SecurityPolicy;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The estate's security policies on the lab's front doors: which TLS server names (SNI) of a region name which
 * policy, and what of a policy the JDK can offer (its protocols and cipher suites enabled by default in a server
 * engine; the rest is reported once at start, see {@link #startupWarning}).
 */
final class TlsPolicies {

    /** The policy of names no API or domain claims (endpoint hostnames, no SNI): API Gateway's default. */
    static final SecurityPolicy DEFAULT = SecurityPolicy.TLS_1_2;

    private static final Set<String> JDK_PROTOCOLS;
    private static final Set<String> JDK_CIPHERS;

    static {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, null, null);
            SSLEngine engine = ctx.createSSLEngine();
            engine.setUseClientMode(false);
            JDK_PROTOCOLS = Set.copyOf(Arrays.asList(engine.getEnabledProtocols()));
            JDK_CIPHERS = Set.copyOf(Arrays.asList(engine.getEnabledCipherSuites()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no JDK TLS context: " + e.getMessage(), e);
        }
    }

    private TlsPolicies() {
    }

    /** The protocols of {@code policy} the JDK offers (never empty for the known policies). */
    static List<String> protocols(SecurityPolicy policy) {
        List<String> offered = policy.protocols().stream().filter(JDK_PROTOCOLS::contains).toList();
        if (offered.isEmpty()) {
            throw new IllegalStateException("the JDK offers none of " + policy + "'s protocols " + policy.protocols());
        }
        return offered;
    }

    /** The cipher suites of {@code policy} the JDK offers; empty when the policy lists none (the JDK's defaults). */
    static List<String> cipherSuites(SecurityPolicy policy) {
        return policy.cipherSuites().stream().filter(JDK_CIPHERS::contains).toList();
    }

    /** What of {@code policy} (protocols, then cipher suites) the JDK does not offer. */
    static List<String> unofferable(SecurityPolicy policy) {
        List<String> missing = new ArrayList<>();
        policy.protocols().stream().filter(p -> !JDK_PROTOCOLS.contains(p)).forEach(missing::add);
        policy.cipherSuites().stream().filter(c -> !JDK_CIPHERS.contains(c)).forEach(missing::add);
        return missing;
    }

    /** Every policy the estate uses, the default first. */
    static Set<SecurityPolicy> used(Estate estate) {
        Set<SecurityPolicy> used = new LinkedHashSet<>();
        used.add(DEFAULT);
        for (Api api : estate.apis()) {
            used.add(api.securityPolicy());
            api.regions().forEach(r -> r.customDomains().forEach(d -> used.add(d.securityPolicy())));
        }
        return used;
    }

    /**
     * The one line naming what the lab cannot offer of the estate's policies, or empty when it offers all:
     * {@code security policies not fully offered by this JDK: TLS_1_0 [TLSv1.1, TLSv1]; ...}.
     */
    static Optional<String> startupWarning(Estate estate) {
        List<String> parts = new ArrayList<>();
        for (SecurityPolicy p : used(estate)) {
            List<String> missing = unofferable(p);
            if (!missing.isEmpty()) {
                parts.add(p + " " + missing);
            }
        }
        return parts.isEmpty() ? Optional.empty()
                : Optional.of("security policies not fully offered by this JDK: " + String.join("; ", parts));
    }

    /**
     * The TLS server names of {@code region} that name an API or a custom domain, with its policy: the API's
     * {@code {id}.execute-api.{region}.amazonaws.com} and {@code {id}-{vpce}.execute-api.{region}.amazonaws.com}
     * names and every custom domain of the region. Names not here get {@link #DEFAULT}.
     */
    static Map<String, SecurityPolicy> byServerName(Estate estate, String region) {
        Map<String, SecurityPolicy> names = new LinkedHashMap<>();
        for (Api api : estate.apis()) {
            for (ApiRegion r : api.regions()) {
                if (!r.region().equals(region)) {
                    continue;
                }
                names.put(r.id() + ".execute-api." + region + ".amazonaws.com", api.securityPolicy());
                for (String vpce : r.vpcEndpoints()) {
                    names.put(r.id() + "-" + vpce + ".execute-api." + region + ".amazonaws.com", api.securityPolicy());
                }
                for (CustomDomain d : r.customDomains()) {
                    names.put(d.domain(), d.securityPolicy());
                }
            }
        }
        return names;
    }

    /**
     * The SNI mapping of {@code region} to the contexts of {@code contexts} (one per policy), or empty when every
     * name of the region has the default policy (the front door then uses the default context alone).
     */
    static <C> Optional<Mapping<String, C>> mapping(Map<String, SecurityPolicy> byName,
                                                    Function<SecurityPolicy, C> contexts) {
        if (byName.values().stream().allMatch(p -> p == DEFAULT)) {
            return Optional.empty();
        }
        DomainWildcardMappingBuilder<C> b = new DomainWildcardMappingBuilder<>(contexts.apply(DEFAULT));
        byName.forEach((name, policy) -> b.add(name, contexts.apply(policy)));
        return Optional.of(b.build());
    }
}
