package io.vpcanary.core;

import io.vpcanary.estate.Estate;
import io.vpcanary.labenv.LabEnvironment;
import io.vpcanary.probe.AuthMaterial;
import io.vpcanary.probe.ProbeEngine;
import io.vpcanary.probe.Resolvers;
import io.vpcanary.probe.TrustStores;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.X509TrustManager;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Where a client stands and what it has, independent of the runner: the vantages it stands in, the resolver of each,
 * the HTTPS port of every URL, the certificates it trusts and the credentials it signs in with. A lab's environment
 * file is one way to produce it ({@link #lab}); AWS settings are the other ({@link #aws}).
 *
 * @param mode        lab or AWS
 * @param httpsPort   port of every URL (443 on AWS unless told otherwise)
 * @param resolvers   the resolver of each vantage in {@code vantages}
 * @param trust       the certificates TLS is verified against
 * @param trustFile   the file {@code trust} was read from (PEM or PKCS12), or null for the JDK's default trust
 * @param auth        credentials: AWS credentials for IAM APIs, OAuth clients for JWT APIs, tokens
 * @param vantages    the vantages this client stands in (canonical names: VPC names, {@code on-premises}); never
 *                    empty
 * @param description one line saying what this client faces, for a run's header
 */
public record ClientEnvironment(TargetMode mode, int httpsPort, Resolvers resolvers, X509TrustManager trust,
                                Path trustFile, AuthMaterial auth, Set<String> vantages, String description) {

    public ClientEnvironment {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(resolvers, "resolvers");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(auth, "auth");
        vantages = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(vantages));
        if (vantages.isEmpty()) {
            throw new IllegalArgumentException("a client stands in at least one vantage");
        }
        if (httpsPort < 1 || httpsPort > 65535) {
            throw new IllegalArgumentException("HTTPS port " + httpsPort + " is out of range 1..65535");
        }
    }

    /**
     * The client of a running lab: each of the lab's resolver views serves the vantage of the same name, the lab CA is
     * trusted, and the lab's principal and OAuth clients sign in. {@code selected} empty means every vantage of the
     * estate (a target whose vantage the lab has no view for then fails when it asks for its resolver, which runners
     * check before they send anything).
     *
     * @throws IllegalArgumentException for an unknown vantage, one the lab has no view for, or an unusable environment
     */
    public static ClientEnvironment lab(LabEnvironment env, Estate estate, List<String> selected,
                                        Function<String, String> getenv) {
        if (env.resolvers() == null || env.resolvers().isEmpty()) {
            throw new IllegalArgumentException("the lab environment names no resolvers");
        }
        Resolvers resolvers = Resolvers.ofViews(env.resolvers());
        Set<String> vantages;
        if (selected.isEmpty()) {
            vantages = new java.util.LinkedHashSet<>(Vantages.all(estate));
        } else {
            vantages = Vantages.resolve(estate, selected);
            for (String v : vantages) {
                if (!resolvers.knows(v)) {
                    throw new IllegalArgumentException("the lab has no resolver view for vantage '" + v
                            + "'; its views are " + new java.util.TreeSet<>(env.resolvers().keySet()));
                }
            }
        }
        Path trustFile;
        X509TrustManager trust;
        if (env.trustStore() != null) {
            trustFile = Path.of(env.trustStore());
            trust = TrustStores.fromFile(trustFile,
                    env.trustStorePassword() == null ? null : env.trustStorePassword().toCharArray());
        } else if (env.ca() != null) {
            trustFile = Path.of(env.ca());
            trust = TrustStores.fromFile(trustFile, null);
        } else {
            throw new IllegalArgumentException("the lab environment names neither a trust store nor a CA");
        }
        return new ClientEnvironment(TargetMode.LAB, env.httpsPort(), resolvers, trust, trustFile,
                AuthMaterial.lab(env, getenv), vantages, "the lab serving " + env.estate());
    }

    /**
     * What a client facing a real estate is told.
     *
     * @param vantages           the vantages it stands in, by VPC name or id, or {@code on-premises}; at least one
     * @param resolvers          {@code HOST:PORT} (with one vantage) or {@code VANTAGE=HOST:PORT} (one per vantage,
     *                           required with several); empty with one vantage means the system resolver, which inside
     *                           a VPC is the VPC's own
     * @param port               HTTPS port of every URL, or null for 443
     * @param trustFile          CA certificates to trust (PEM bundle, or PKCS12/JKS), or null for the JDK's
     * @param trustPassword      password of a PKCS12/JKS {@code trustFile}, or null (cleared after use)
     * @param credentials        AWS credentials for IAM APIs (the SDK's default chain, or a profile)
     * @param getenv             the process environment, for client secrets and tokens the estate names
     */
    public record AwsSettings(List<String> vantages, List<String> resolvers, Integer port, Path trustFile,
                              char[] trustPassword, AwsCredentialsProvider credentials,
                              Function<String, String> getenv) {
        public AwsSettings {
            vantages = List.copyOf(vantages);
            resolvers = List.copyOf(resolvers);
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(getenv, "getenv");
        }
    }

    /**
     * The client of a real estate, standing in the vantages of {@code s}.
     *
     * @throws IllegalArgumentException with one line naming the problem: no vantage, an unknown vantage, several
     *                                  vantages without a resolver each, a resolver for a vantage not selected, a bad
     *                                  {@code HOST:PORT}, an unreadable trust file
     */
    public static ClientEnvironment aws(Estate estate, AwsSettings s) {
        if (s.vantages().isEmpty()) {
            throw new IllegalArgumentException("facing a real estate, say where this client stands: a vantage is one "
                    + "of " + Vantages.describeAll(estate));
        }
        Set<String> vantages = Vantages.resolve(estate, s.vantages());
        Map<String, InetSocketAddress> perVantage = new LinkedHashMap<>();
        InetSocketAddress single = null;
        for (String spec : s.resolvers()) {
            int eq = spec.indexOf('=');
            if (eq < 0) {
                if (single != null || vantages.size() > 1) {
                    throw new IllegalArgumentException("resolver '" + spec + "' names no vantage: with several "
                            + "vantages give one VANTAGE=HOST:PORT for each of " + vantages);
                }
                single = Resolvers.parseHostPort(spec.strip());
            } else {
                String v = Vantages.canonical(estate, spec.substring(0, eq).strip());
                if (!vantages.contains(v)) {
                    throw new IllegalArgumentException("resolver '" + spec + "' is for vantage '" + v
                            + "', which is not selected (selected: " + vantages + ")");
                }
                if (perVantage.put(v, Resolvers.parseHostPort(spec.substring(eq + 1).strip())) != null) {
                    throw new IllegalArgumentException("two resolvers for vantage '" + v + "'");
                }
            }
        }
        Resolvers.Builder rb = Resolvers.builder();
        List<String> unresolved = new ArrayList<>();
        for (String v : vantages) {
            InetSocketAddress server = perVantage.get(v);
            if (server == null && single != null) {
                server = single;
            }
            if (server != null) {
                rb.view(v, server);
            } else if (vantages.size() == 1) {
                rb.view(v, okhttp3.Dns.SYSTEM);
            } else {
                unresolved.add(v);
            }
        }
        if (!unresolved.isEmpty()) {
            throw new IllegalArgumentException("no resolver for vantage " + String.join(", ", unresolved)
                    + ": with several vantages give one VANTAGE=HOST:PORT resolver for each (one client can only "
                    + "stand in several VPCs through each VPC's resolver)");
        }
        X509TrustManager trust = s.trustFile() == null ? TrustStores.jdkDefault()
                : TrustStores.fromFile(s.trustFile(), s.trustPassword());
        int port = s.port() == null ? 443 : s.port();
        return new ClientEnvironment(TargetMode.AWS, port, rb.build(), trust, s.trustFile(),
                AuthMaterial.aws(s.credentials(), s.getenv()), vantages,
                "a real estate" + (port == 443 ? "" : " on port " + port));
    }

    /** A probe engine builder for this client: its resolvers, trust and credentials, with {@code estate}. */
    public ProbeEngine.Builder engineBuilder(Estate estate) {
        return ProbeEngine.builder().estate(estate).resolvers(resolvers).trust(trust).auth(auth);
    }
}
