package io.vpcanary.estate;

/**
 * How API Gateway returns a REST API's integration response (November 2025): {@link #BUFFERED}, the default, waits
 * for the whole response; {@link #STREAM} sends it as the integration produces it (HTTP proxy integrations, REST APIs
 * only; at most 15 minutes; 5 minutes idle for regional and private endpoints; the first 10 MB unthrottled, then
 * 2 MB/s).
 */
public enum ResponseTransferMode {
    BUFFERED,
    STREAM
}
