package io.vpcanary.gameday.aws;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53recoverycluster.Route53RecoveryClusterClient;

/**
 * The one place the control-plane clients are built (decision 0008): Route 53 (global, signed for us-east-1), one
 * CloudWatch client per region, FIS per region, Route 53 ARC's cluster data plane at a cluster endpoint, and ECS and
 * CloudFormation per region (load injectors, decision 0010). Every client uses the SDK's URL-connection HTTP client;
 * endpoints follow the SDK's own settings ({@code AWS_ENDPOINT_URL_ROUTE_53}, {@code AWS_ENDPOINT_URL_CLOUDWATCH},
 * {@code AWS_ENDPOINT_URL_FIS}, {@code AWS_ENDPOINT_URL_ECS}, {@code AWS_ENDPOINT_URL_CLOUDFORMATION},
 * {@code AWS_ENDPOINT_URL}, a profile's {@code endpoint_url}) unless an emulator endpoint is given, which then serves
 * all of them (moto_server serves Route 53, CloudWatch, ECS and CloudFormation on one port). Credentials from the SDK's default chain
 * unless given. Thread-safe; close it to close every client it built.
 */
public final class AwsClients implements AutoCloseable {

    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Map<String, CloudWatchClient> cloudWatch = new ConcurrentHashMap<>();
    private final Map<String, FisClient> fis = new ConcurrentHashMap<>();
    private final Map<String, Route53RecoveryClusterClient> arc = new ConcurrentHashMap<>();
    private final Map<String, EcsClient> ecs = new ConcurrentHashMap<>();
    private final Map<String, CloudFormationClient> cloudFormation = new ConcurrentHashMap<>();
    private volatile Route53Client route53;

    private AwsClients(URI endpoint, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /**
     * Clients whose endpoints are the SDK's own ({@code endpoint} null) or {@code endpoint} for every service, with
     * {@code credentials} (null: the SDK's default chain).
     */
    public static AwsClients of(URI endpoint, AwsCredentialsProvider credentials) {
        return new AwsClients(endpoint, credentials);
    }

    /** The emulator endpoint every client uses, or null for the SDK's own. */
    public URI endpoint() {
        return endpoint;
    }

    /** Route 53 (a global service). */
    public Route53Client route53() {
        Route53Client c = route53;
        if (c == null) {
            synchronized (this) {
                if (route53 == null) {
                    var b = Route53Client.builder().region(Region.AWS_GLOBAL)
                            .httpClientBuilder(UrlConnectionHttpClient.builder());
                    configure(b);
                    route53 = b.build();
                }
                c = route53;
            }
        }
        return c;
    }

    /** CloudWatch in {@code region}. */
    public CloudWatchClient cloudWatch(String region) {
        return regional(cloudWatch, region, CloudWatchClient::builder);
    }

    /** AWS FIS in {@code region}. */
    public FisClient fis(String region) {
        return regional(fis, region, FisClient::builder);
    }

    /** Amazon ECS in {@code region} (load injectors). */
    public EcsClient ecs(String region) {
        return regional(ecs, region, EcsClient::builder);
    }

    /** AWS CloudFormation in {@code region} (the injector stack's outputs). */
    public CloudFormationClient cloudFormation(String region) {
        return regional(cloudFormation, region, CloudFormationClient::builder);
    }

    /**
     * Route 53 ARC's routing-control data plane at one of the cluster's regional endpoints ({@code clusterEndpoint},
     * such as {@code https://host-xxxx.us-west-2.example.com/v1}); the emulator endpoint, when given, replaces it.
     */
    public Route53RecoveryClusterClient arc(URI clusterEndpoint, String region) {
        URI target = endpoint != null ? endpoint : Objects.requireNonNull(clusterEndpoint, "clusterEndpoint");
        return arc.computeIfAbsent(target + " " + region, k -> {
            var b = Route53RecoveryClusterClient.builder().region(Region.of(region)).endpointOverride(target)
                    .httpClientBuilder(UrlConnectionHttpClient.builder());
            if (credentials != null) {
                b.credentialsProvider(credentials);
            }
            return b.build();
        });
    }

    /** The client of {@code region} in {@code cache}, built on first use with the URL-connection HTTP client. */
    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> C regional(
            Map<String, C> cache, String region, java.util.function.Supplier<B> builder) {
        return cache.computeIfAbsent(Objects.requireNonNull(region, "region"), r -> {
            B b = builder.get().region(Region.of(r)).httpClientBuilder(UrlConnectionHttpClient.builder());
            configure(b);
            return b.build();
        });
    }

    private void configure(software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<?, ?> b) {
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        b.credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder().build());
    }

    @Override
    public void close() {
        if (route53 != null) {
            route53.close();
        }
        cloudWatch.values().forEach(CloudWatchClient::close);
        fis.values().forEach(FisClient::close);
        arc.values().forEach(Route53RecoveryClusterClient::close);
        ecs.values().forEach(EcsClient::close);
        cloudFormation.values().forEach(CloudFormationClient::close);
    }
}
