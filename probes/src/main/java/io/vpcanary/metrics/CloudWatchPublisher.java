package io.vpcanary.metrics;

import java.net.ConnectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.CompressionConfiguration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;

/**
 * Publishes distributions to CloudWatch with PutMetricData, carrying each histogram as {@code Values}/{@code Counts}
 * (see {@link DistributionEncoder}) so that CloudWatch computes any percentile of any number of merged canaries.
 *
 * <h2>Limits kept</h2>
 * At most 150 values per datum (several datums for one series when needed), at most 1,000 datums and 1 MB per request
 * ({@link PutMetricDataBatcher}), StorageResolution 1 or 60, no negative or non-finite values, gzip request
 * compression (the SDK compresses bodies of 10 KB and more; CloudWatch accepts {@code Content-Encoding: gzip}).
 *
 * <h2>Delivery</h2>
 * <ul>
 *   <li>{@link #publish} encodes and buffers, then flushes. The SDK's own retries are off: this class retries, so that
 *       it knows and reports every attempt.</li>
 *   <li>Throttling (400 {@code Throttling}, 429), 5xx and network errors are retried with {@link Backoff} (full
 *       jitter) until the flush deadline; what is not delivered by then stays buffered for the next flush.</li>
 *   <li>A failure after which CloudWatch may have stored the data anyway (a network error once the request may have
 *       been sent, or a 5xx) is <em>ambiguous</em>: the data is sent again, and the attempt and its samples are
 *       counted as possible duplicates in {@link #report()}. Nothing else can be duplicated.</li>
 *   <li>The buffer holds datums as long as CloudWatch accepts their timestamp (two weeks, less a margin); older ones
 *       are dropped and counted. Other 4xx answers mean the request is invalid: it is dropped, counted and logged.</li>
 *   <li>{@link #close()} flushes within the shutdown deadline, then counts what is left as dropped at shutdown.</li>
 * </ul>
 */
public final class CloudWatchPublisher implements Publisher {

    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchPublisher.class);

    /** CloudWatch refuses timestamps older than two weeks; keep a margin for clock skew and the request's trip. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(14).minusMinutes(30);

    private final CloudWatchClient client;
    private final boolean ownsClient;
    private final String namespace;
    private final Backoff backoff;
    private final Duration flushTimeout;
    private final Duration shutdownTimeout;
    private final Duration maxAge;
    private final Clock clock;
    private final Sleeper sleeper;

    private final ReentrantLock sendLock = new ReentrantLock();
    private final Deque<Datum> buffer = new ArrayDeque<>();
    private final Object counters = new Object();
    private long requests;
    private long datumsSent;
    private long samplesSent;
    private long retriesThrottled;
    private long retriesServerError;
    private long retriesNetwork;
    private long ambiguousRequests;
    private long possibleDuplicateSamples;
    private long droppedTooOld;
    private long droppedRejected;
    private long droppedAtShutdown;
    private boolean closed;
    private volatile String lastFailure = "none";

    /** Waits between retries; tests may observe it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private CloudWatchPublisher(Builder b) {
        this.namespace = Objects.requireNonNull(b.namespace, "namespace");
        if (b.client != null) {
            this.client = b.client;
            this.ownsClient = false;
        } else {
            this.client = client(Objects.requireNonNull(b.region, "region"), b.endpoint, b.credentials, b.requestTimeout);
            this.ownsClient = true;
        }
        this.backoff = b.backoff;
        this.flushTimeout = b.flushTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.maxAge = b.maxAge;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
    }

    /**
     * The publisher the CLI and the integrator use.
     *
     * @param namespace   CloudWatch namespace, such as {@value ProbeMetrics#DEFAULT_NAMESPACE}
     * @param region      AWS region, such as {@code us-east-1}
     * @param endpoint    endpoint override (an emulator or a VPC endpoint), or null for the region's endpoint
     * @param credentials credentials provider, or null for the SDK's default chain
     */
    public static CloudWatchPublisher create(String namespace, String region, URI endpoint,
                                             AwsCredentialsProvider credentials) {
        return builder().namespace(namespace).region(region).endpoint(endpoint).credentials(credentials).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A CloudWatch client as this publisher needs it: URL-connection HTTP client, SDK retries off, request compression
     * on.
     */
    public static CloudWatchClient client(String region, URI endpoint, AwsCredentialsProvider credentials,
                                          Duration requestTimeout) {
        var b = CloudWatchClient.builder()
                .region(Region.of(region))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(requestTimeout))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(requestTimeout)
                        .compressionConfiguration(CompressionConfiguration.builder()
                                .requestCompressionEnabled(true)
                                .build())
                        .build());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        if (credentials != null) {
            b.credentialsProvider(credentials);
        }
        return b.build();
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public void publish(List<IntervalSnapshot> snapshots) {
        List<Datum> datums = new ArrayList<>();
        for (IntervalSnapshot s : snapshots) {
            datums.addAll(DistributionEncoder.encode(s));
        }
        synchronized (buffer) {
            if (closed) {
                throw new IllegalStateException("publisher is closed");
            }
            buffer.addAll(datums);
        }
        flush();
    }

    @Override
    public void flush() {
        flush(flushTimeout);
    }

    /** Sends buffered datums until the buffer is empty or {@code timeout} has passed; returns true when empty. */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        sendLock.lock();
        try {
            while (true) {
                List<Datum> batch;
                synchronized (buffer) {
                    dropTooOld();
                    batch = PutMetricDataBatcher.next(buffer, namespace);
                }
                if (batch.isEmpty()) {
                    return true;
                }
                if (!send(batch, deadline)) {
                    long pending;
                    synchronized (buffer) {
                        for (int i = batch.size() - 1; i >= 0; i--) {
                            buffer.addFirst(batch.get(i));
                        }
                        pending = buffer.stream().mapToLong(Datum::sampleCount).sum();
                    }
                    LOG.warn("PutMetricData not delivered within {}, {} samples kept for the next flush; last error: {}",
                            timeout, pending, lastFailure);
                    return false;
                }
            }
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends one batch with retries; false when the deadline passed first (the batch is not delivered). */
    private boolean send(List<Datum> batch, long deadline) {
        PutMetricDataRequest request = request(batch);
        long samples = batch.stream().mapToLong(Datum::sampleCount).sum();
        for (int attempt = 1; ; attempt++) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                client.putMetricData(request);
                synchronized (counters) {
                    requests++;
                    datumsSent += batch.size();
                    samplesSent += samples;
                }
                return true;
            } catch (AwsServiceException e) {
                int status = e.statusCode();
                if (e.isThrottlingException() || status == 429) {
                    lastFailure = status + " " + errorText(e);
                    synchronized (counters) {
                        retriesThrottled++;
                    }
                } else if (status >= 500) {
                    lastFailure = status + " " + errorText(e);
                    synchronized (counters) {
                        retriesServerError++;
                        ambiguousRequests++;
                        possibleDuplicateSamples += samples;
                    }
                } else {
                    synchronized (counters) {
                        droppedRejected += samples;
                    }
                    LOG.error("CloudWatch rejected PutMetricData of {} datums ({} samples), dropped: {} {}",
                            batch.size(), samples, status, errorText(e));
                    return true;
                }
            } catch (SdkClientException e) {
                boolean ambiguous = mayHaveBeenSent(e);
                synchronized (counters) {
                    retriesNetwork++;
                    if (ambiguous) {
                        ambiguousRequests++;
                        possibleDuplicateSamples += samples;
                    }
                }
                lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.debug("PutMetricData attempt {} failed: {}", attempt, lastFailure);
            }
            long wait = Math.min(backoff.delayNanos(attempt), Math.max(0, deadline - System.nanoTime()));
            try {
                sleeper.sleepNanos(wait);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Whether a failed attempt may have reached CloudWatch: an I/O error (reset, timeout, broken pipe) after the
     * connection was made leaves its fate unknown; a refused connection, or a failure before sending (no
     * credentials, say), does not.
     */
    private static boolean mayHaveBeenSent(Throwable t) {
        boolean io = false;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException) {
                return false;
            }
            if (c instanceof java.io.IOException
                    || c instanceof software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException) {
                io = true;
            }
        }
        return io;
    }

    private static String errorText(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? e.getClass().getSimpleName()
                : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }

    private void dropTooOld() {
        Instant oldest = clock.instant().minus(maxAge);
        long dropped = 0;
        var it = buffer.iterator();
        while (it.hasNext()) {
            Datum d = it.next();
            if (d.timestamp().isBefore(oldest)) {
                dropped += d.sampleCount();
                it.remove();
            }
        }
        if (dropped > 0) {
            synchronized (counters) {
                droppedTooOld += dropped;
            }
            LOG.warn("dropped {} samples older than CloudWatch accepts ({}); see the publish report", dropped, maxAge);
        }
    }

    private PutMetricDataRequest request(List<Datum> batch) {
        List<MetricDatum> data = new ArrayList<>(batch.size());
        for (Datum d : batch) {
            List<Double> values = new ArrayList<>();
            List<Double> counts = new ArrayList<>();
            for (double v : d.values()) {
                values.add(v);
            }
            for (double c : d.counts()) {
                counts.add(c);
            }
            data.add(MetricDatum.builder()
                    .metricName(d.series().name())
                    .unit(d.series().unit().cloudWatchName())
                    .dimensions(d.series().dimensions().entrySet().stream()
                            .map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build())
                            .toList())
                    .timestamp(d.timestamp())
                    .storageResolution(d.storageResolution())
                    .values(values)
                    .counts(counts)
                    .build());
        }
        return PutMetricDataRequest.builder().namespace(namespace).metricData(data).build();
    }

    @Override
    public PublishReport report() {
        long pending;
        synchronized (buffer) {
            pending = buffer.stream().mapToLong(Datum::sampleCount).sum();
        }
        synchronized (counters) {
            return new PublishReport(requests, datumsSent, samplesSent, retriesThrottled, retriesServerError,
                    retriesNetwork, ambiguousRequests, possibleDuplicateSamples, pending, droppedTooOld,
                    droppedRejected, droppedAtShutdown);
        }
    }

    @Override
    public void close() {
        synchronized (buffer) {
            if (closed) {
                return;
            }
            closed = true;
        }
        flush(shutdownTimeout);
        long left;
        synchronized (buffer) {
            left = buffer.stream().mapToLong(Datum::sampleCount).sum();
            buffer.clear();
        }
        synchronized (counters) {
            droppedAtShutdown += left;
        }
        PublishReport r = report();
        if (r.droppedSamples() > 0 || r.ambiguousRequests() > 0) {
            LOG.warn("CloudWatch publisher closed: {}", r.summary());
        } else {
            LOG.info("CloudWatch publisher closed: {}", r.summary());
        }
        if (ownsClient) {
            client.close();
        }
    }

    /** Builds a {@link CloudWatchPublisher}; namespace and either region or client are required. */
    public static final class Builder {
        private String namespace = ProbeMetrics.DEFAULT_NAMESPACE;
        private String region;
        private URI endpoint;
        private AwsCredentialsProvider credentials;
        private CloudWatchClient client;
        private Backoff backoff = Backoff.DEFAULT;
        private Duration flushTimeout = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(20);
        private Duration maxAge = DEFAULT_MAX_AGE;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = nanos -> java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);

        private Builder() {
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Endpoint override, or null for the region's endpoint. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** Credentials provider, or null for the SDK's default chain. */
        public Builder credentials(AwsCredentialsProvider credentials) {
            this.credentials = credentials;
            return this;
        }

        /** A client built elsewhere (it should have SDK retries off); the publisher does not close it. */
        public Builder client(CloudWatchClient client) {
            this.client = client;
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff);
            return this;
        }

        /** How long one {@link #flush()} keeps retrying before leaving data buffered for the next. */
        public Builder flushTimeout(Duration flushTimeout) {
            this.flushTimeout = Objects.requireNonNull(flushTimeout);
            return this;
        }

        /** How long {@link #close()} tries to deliver before counting the rest as dropped. */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout);
            return this;
        }

        /** Per-attempt timeout of the HTTP request. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout);
            return this;
        }

        /** How old a buffered datum may become before it is dropped as too old. */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = Objects.requireNonNull(maxAge);
            return this;
        }

        /** The clock that decides what is too old. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper);
            return this;
        }

        public CloudWatchPublisher build() {
            return new CloudWatchPublisher(this);
        }
    }
}
