package io.vpcanary.discover;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The read-only clients discovery uses: API Gateway (REST APIs and domain names), API Gateway v2 (HTTP and WebSocket
 * APIs), EC2 (execute-api interface endpoints, VPCs, subnets) per region, and Route 53 (global). Endpoints follow the
 * SDK's own settings ({@code AWS_ENDPOINT_URL_API_GATEWAY}, {@code AWS_ENDPOINT_URL_APIGATEWAYV2},
 * {@code AWS_ENDPOINT_URL_EC2}, {@code AWS_ENDPOINT_URL_ROUTE_53}, {@code AWS_ENDPOINT_URL}, a profile's
 * {@code endpoint_url}) unless an emulator endpoint is given, which then serves all of them. Credentials from the SDK's
 * default chain, or from a named profile. Each client retries throttling with the SDK's adaptive strategy (client-side
 * rate limiting and backoff, up to {@value #MAX_ATTEMPTS} attempts a call), so that a large account is read at the
 * rate API Gateway allows. Every call is recorded by service and operation ({@link #operations()}), which is how the
 * tests prove the IAM policy of {@link DiscoveryPolicy} covers what discovery does. Close it to close every client.
 */
public final class DiscoverClients implements AutoCloseable {

    /** Attempts per call, the first included, before a throttled or failing call gives up. */
    public static final int MAX_ATTEMPTS = 10;

    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Map<String, ApiGatewayClient> apiGateway = new ConcurrentHashMap<>();
    private final Map<String, ApiGatewayV2Client> apiGatewayV2 = new ConcurrentHashMap<>();
    private final Map<String, Ec2Client> ec2 = new ConcurrentHashMap<>();
    private final Set<String> operations = ConcurrentHashMap.newKeySet();
    private volatile Route53Client route53;

    private DiscoverClients(URI endpoint, AwsCredentialsProvider credentials) {
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    /**
     * Clients whose endpoints are the SDK's own ({@code endpoint} null) or {@code endpoint} for every service, with
     * {@code credentials} (null: the SDK's default chain).
     */
    public static DiscoverClients of(URI endpoint, AwsCredentialsProvider credentials) {
        return new DiscoverClients(endpoint, credentials);
    }

    /**
     * Clients with the credentials of a named profile of the shared config and credentials files (the SDK's
     * {@code AWS_CONFIG_FILE}, {@code AWS_SHARED_CREDENTIALS_FILE} and their defaults).
     *
     * @throws IllegalArgumentException when no such profile is there
     */
    public static DiscoverClients withProfile(URI endpoint, String profile) {
        if (ProfileFile.defaultProfileFile().profile(profile).isEmpty()) {
            throw new IllegalArgumentException("--profile " + profile + ": no such profile in the shared AWS config "
                    + "and credentials files");
        }
        return new DiscoverClients(endpoint, ProfileCredentialsProvider.builder().profileName(profile).build());
    }

    /** API Gateway (REST APIs, domain names) in {@code region}. */
    public ApiGatewayClient apiGateway(String region) {
        return apiGateway.computeIfAbsent(Objects.requireNonNull(region, "region"),
                r -> configure(ApiGatewayClient.builder(), Region.of(r)).build());
    }

    /** API Gateway v2 (HTTP and WebSocket APIs) in {@code region}. */
    public ApiGatewayV2Client apiGatewayV2(String region) {
        return apiGatewayV2.computeIfAbsent(Objects.requireNonNull(region, "region"),
                r -> configure(ApiGatewayV2Client.builder(), Region.of(r)).build());
    }

    /** EC2 in {@code region}. */
    public Ec2Client ec2(String region) {
        return ec2.computeIfAbsent(Objects.requireNonNull(region, "region"),
                r -> configure(Ec2Client.builder(), Region.of(r)).build());
    }

    /** Route 53 (a global service). */
    public Route53Client route53() {
        Route53Client c = route53;
        if (c == null) {
            synchronized (this) {
                if (route53 == null) {
                    route53 = configure(Route53Client.builder(), Region.AWS_GLOBAL).build();
                }
                c = route53;
            }
        }
        return c;
    }

    /** Every call made so far, as {@code Service:Operation} (such as {@code EC2:DescribeVpcEndpoints}), sorted. */
    public Set<String> operations() {
        return new TreeSet<>(operations);
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B b, Region region) {
        b.region(region);
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        b.credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder().build());
        b.overrideConfiguration(o -> o
                .retryStrategy(AwsRetryStrategy.adaptiveRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
                .addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        operations.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
                    }
                }));
        if (b instanceof software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?> sync) {
            sync.httpClientBuilder(UrlConnectionHttpClient.builder());
        }
        return b;
    }

    @Override
    public void close() {
        if (route53 != null) {
            route53.close();
        }
        apiGateway.values().forEach(ApiGatewayClient::close);
        apiGatewayV2.values().forEach(ApiGatewayV2Client::close);
        ec2.values().forEach(Ec2Client::close);
    }
}
