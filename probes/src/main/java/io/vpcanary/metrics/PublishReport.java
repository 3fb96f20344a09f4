package io.vpcanary.metrics;

/**
 * What a publisher did with the samples handed to it. Every sample handed over is, at any time, in exactly one of:
 * sent, pending, dropped too old, dropped rejected, dropped at shutdown. Counts are datums and samples (a datum
 * carries up to 150 distinct values, each with a count).
 *
 * @param requests                requests that succeeded
 * @param datumsSent              datums delivered
 * @param samplesSent             samples delivered
 * @param retriesThrottled        attempts that failed with throttling and were retried
 * @param retriesServerError      attempts that failed with a 5xx and were retried
 * @param retriesNetwork          attempts that failed with a network error and were retried
 * @param ambiguousRequests       failed attempts that may nonetheless have been stored (the response was lost or
 *                                was a 5xx); their datums were sent again
 * @param possibleDuplicateSamples samples of those attempts: an upper bound on the samples CloudWatch may hold twice
 * @param pendingSamples          samples still buffered
 * @param droppedTooOldSamples    samples dropped because their timestamp left the API's two-week window
 * @param droppedRejectedSamples  samples dropped because the service rejected the request as invalid
 * @param droppedAtShutdownSamples samples dropped because the shutdown deadline passed before they were delivered
 */
public record PublishReport(
        long requests,
        long datumsSent,
        long samplesSent,
        long retriesThrottled,
        long retriesServerError,
        long retriesNetwork,
        long ambiguousRequests,
        long possibleDuplicateSamples,
        long pendingSamples,
        long droppedTooOldSamples,
        long droppedRejectedSamples,
        long droppedAtShutdownSamples) {

    /** Samples that will never be delivered. */
    public long droppedSamples() {
        return droppedTooOldSamples + droppedRejectedSamples + droppedAtShutdownSamples;
    }

    /** One line for logs and command output. */
    public String summary() {
        return "sent " + samplesSent + " samples in " + datumsSent + " datums and " + requests + " requests; retried "
                + retriesThrottled + " throttled, " + retriesServerError + " server errors, " + retriesNetwork
                + " network errors; " + ambiguousRequests + " requests of unknown fate resent (at most "
                + possibleDuplicateSamples + " samples duplicated); pending " + pendingSamples + "; dropped "
                + droppedTooOldSamples + " too old, " + droppedRejectedSamples + " rejected, "
                + droppedAtShutdownSamples + " at shutdown";
    }
}
