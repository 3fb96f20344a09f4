package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Lab only: how the simulated integration of a {@link ResponseTransferMode#STREAM} API streams its answer: the
 * integration's JSON answer first, then {@code chunks - 1} more chunks, one every {@code intervalMs}.
 */
public record LabStream(
        @JsonPropertyDescription("Number of chunks, the integration's answer included. Default 5.") Integer chunks,
        @JsonPropertyDescription("Time between chunks, in milliseconds. Default 100.") Long intervalMs,
        @JsonPropertyDescription("Size of each chunk after the first, in bytes. Default 256.") Integer chunkBytes) {

    /** The defaults: 5 chunks, 100 ms apart, 256 bytes each. */
    public static final LabStream DEFAULT = new LabStream(null, null, null);

    public LabStream {
        if (chunks == null) {
            chunks = 5;
        }
        if (intervalMs == null) {
            intervalMs = 100L;
        }
        if (chunkBytes == null) {
            chunkBytes = 256;
        }
    }
}
