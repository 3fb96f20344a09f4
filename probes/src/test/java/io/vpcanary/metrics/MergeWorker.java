package io.vpcanary.metrics;

import io.vpcanary.testing.MutableClock;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

/**
 * One of the separate JVMs of {@link MergeAcrossProcessesTest}: records its own samples into the shared series and
 * publishes them. Arguments: endpoint, namespace, interval start (ISO instant), worker index.
 */
public final class MergeWorker {

    static final Map<String, String> DIMS = Map.of("Api", "orders", "Region", "us-east-1");
    static final int SAMPLES = 1500;

    private MergeWorker() {
    }

    /** The samples worker {@code k} records: a different latency profile per worker. */
    static double[] samples(int k) {
        Random random = new Random(1000 + k);
        double[] out = new double[SAMPLES];
        double base = new double[] {2, 200, 40}[k];
        for (int i = 0; i < SAMPLES; i++) {
            out[i] = Math.round(base * (1 + 4 * random.nextDouble() * random.nextDouble()) * 1000) / 1000.0;
        }
        return out;
    }

    public static void main(String[] args) {
        URI endpoint = URI.create(args[0]);
        String namespace = args[1];
        Instant start = Instant.parse(args[2]);
        int k = Integer.parseInt(args[3]);
        MutableClock clock = new MutableClock(start.plusMillis(100 * k));
        Recorder recorder = new Recorder(Duration.ofSeconds(60), clock);
        Series latency = Series.of(ProbeMetrics.LATENCY, MetricUnit.MILLISECONDS, DIMS);
        for (double v : samples(k)) {
            recorder.record(latency, v);
        }
        clock.advance(Duration.ofSeconds(60));
        CloudWatchPublisher publisher = CloudWatchPublisher.builder().namespace(namespace).region("us-east-1")
                .endpoint(endpoint).credentials(MotoServer.FAKE).clock(clock).build();
        try (MetricsPipeline pipeline = new MetricsPipeline(recorder, publisher)) {
            pipeline.tick();
        }
        PublishReport r = publisher.report();
        System.out.println("worker " + k + ": " + r.summary());
        System.exit(r.samplesSent() == SAMPLES && r.droppedSamples() == 0 ? 0 : 3);
    }
}
