package io.vpcanary.probe;

/**
 * How long each phase of one probe took, in milliseconds, measured with {@link System#nanoTime()} by
 * {@link PhaseRecorder} from OkHttp's own {@link okhttp3.EventListener} events. Values keep microsecond resolution
 * (three decimals, rounded half-up from nanoseconds); nothing else is rounded. A phase that did not happen is
 * {@code null}, never zero.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@code totalMs} is always present: from {@code callStart} to {@code callEnd} (after the body was read and
 *       closed) or {@code callFailed}. Every other phase lies inside it, so each present phase is
 *       {@code <= totalMs}.</li>
 *   <li>{@code dnsMs}: {@code dnsStart} to {@code dnsEnd}, or to {@code callFailed} when the lookup failed. Absent
 *       when the URL host is an address literal.</li>
 *   <li>{@code connectMs}: the TCP connect, from the first {@code connectStart} to {@code secureConnectStart} (or
 *       to {@code connectEnd}/{@code connectFailed} when TLS never started). When several addresses are tried one
 *       after another it spans every attempt up to the last handshake (failed attempts count as connecting). Absent
 *       when DNS failed.</li>
 *   <li>{@code tlsMs}: the last {@code secureConnectStart} to its {@code secureConnectEnd}, or to
 *       {@code connectFailed} when the handshake failed. Absent when no TCP connection was made.</li>
 *   <li>{@code ttfbMs}: time to first byte, from {@code requestHeadersStart} to {@code responseHeadersStart}.
 *       Absent when no response headers arrived (connection failures, timeouts before the answer).</li>
 * </ul>
 * Phases follow each other in that order (DNS, connect, TLS, request, first byte) and do not overlap: the probe
 * engine disables OkHttp's fast fallback (concurrent connects), retries and connection reuse, so each probe runs
 * every phase exactly once on a fresh connection.
 *
 * @param dnsMs     name resolution
 * @param connectMs TCP connect
 * @param tlsMs     TLS handshake
 * @param ttfbMs    from sending request headers to the first byte of response headers
 * @param totalMs   the whole call, body included
 */
public record Phases(Double dnsMs, Double connectMs, Double tlsMs, Double ttfbMs, Double totalMs) {

    /** Milliseconds between two {@link System#nanoTime()} readings, rounded to the microsecond; null if either is unset. */
    static Double millis(long startNanos, long endNanos) {
        if (startNanos == 0 || endNanos == 0) {
            return null;
        }
        return millis(endNanos - startNanos);
    }

    /** A duration in nanoseconds as milliseconds, rounded to the microsecond. */
    static double millis(long durationNanos) {
        long micros = Math.round(durationNanos / 1_000.0);
        return micros / 1_000.0;
    }
}
