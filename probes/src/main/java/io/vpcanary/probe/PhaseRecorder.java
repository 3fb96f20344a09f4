package io.vpcanary.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Handshake;
import okhttp3.Protocol;
import okhttp3.Response;

/**
 * The {@link EventListener} of one probe call: it records {@link System#nanoTime()} at each event that bounds a
 * phase and turns them into {@link Phases}. One instance per call (OkHttp creates it through an
 * {@link EventListener.Factory}); events may come from OkHttp's threads, so the recorder is synchronized.
 *
 * <p>OkHttp guarantees that every {@code *Start} event is followed by its {@code *End} or a failure event
 * ({@code connectFailed}, {@code requestFailed}, {@code responseFailed}, {@code callFailed}); a phase whose end never
 * came is closed at the failure that ended the call.
 */
final class PhaseRecorder extends EventListener {

    private long callStart;
    private long callEnd;
    private long dnsStart;
    private long dnsEnd;
    private long connectStart;
    private long tcpEnd;
    private long secureStart;
    private long secureEnd;
    private long requestHeadersStart;
    private long responseHeadersStart;
    private final List<InetAddress> resolved = new ArrayList<>();
    private Instant certificateNotAfter;
    private String tlsVersion;
    private String cipherSuite;

    private static long now() {
        long t = System.nanoTime();
        return t == 0 ? 1 : t;
    }

    @Override
    public synchronized void callStart(Call call) {
        callStart = now();
    }

    @Override
    public synchronized void dnsStart(Call call, String domainName) {
        if (dnsStart == 0) {
            dnsStart = now();
        }
    }

    @Override
    public synchronized void dnsEnd(Call call, String domainName, List<InetAddress> addresses) {
        dnsEnd = now();
        resolved.clear();
        resolved.addAll(addresses);
    }

    @Override
    public synchronized void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
        if (connectStart == 0) {
            connectStart = now();
        }
    }

    @Override
    public synchronized void secureConnectStart(Call call) {
        // When an earlier address failed (even in its handshake), that attempt counts as connecting: the TLS phase
        // is the handshake of the last attempt, so phases never overlap.
        long t = now();
        secureStart = t;
        secureEnd = 0;
        tcpEnd = t;
    }

    @Override
    public synchronized void secureConnectEnd(Call call, Handshake handshake) {
        secureEnd = now();
        certificateNotAfter = null;
        tlsVersion = null;
        cipherSuite = null;
        if (handshake != null) {
            tlsVersion = handshake.tlsVersion().javaName();
            cipherSuite = handshake.cipherSuite().javaName();
            List<Certificate> chain = handshake.peerCertificates();
            if (!chain.isEmpty() && chain.get(0) instanceof X509Certificate leaf) {
                certificateNotAfter = leaf.getNotAfter().toInstant();
            }
        }
    }

    @Override
    public synchronized void connectEnd(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol) {
        closeConnect();
    }

    @Override
    public synchronized void connectFailed(Call call, InetSocketAddress address, Proxy proxy, Protocol protocol,
                                           IOException ioe) {
        closeConnect();
    }

    private void closeConnect() {
        long t = now();
        if (secureStart == 0) {
            tcpEnd = t;
        } else if (secureEnd == 0) {
            secureEnd = t;
        }
    }

    /** When the request headers started going out ({@link System#nanoTime()}), or 0 when they did not. */
    synchronized long requestHeadersStartNanos() {
        return requestHeadersStart;
    }

    @Override
    public synchronized void requestHeadersStart(Call call) {
        if (requestHeadersStart == 0) {
            requestHeadersStart = now();
        }
    }

    @Override
    public synchronized void responseHeadersStart(Call call) {
        if (responseHeadersStart == 0) {
            responseHeadersStart = now();
        }
    }

    @Override
    public synchronized void responseHeadersEnd(Call call, Response response) {
        // Nothing to record: time to first byte ends at responseHeadersStart.
    }

    @Override
    public synchronized void callEnd(Call call) {
        finish();
    }

    @Override
    public synchronized void callFailed(Call call, IOException ioe) {
        finish();
    }

    @Override
    public synchronized void canceled(Call call) {
        finish();
    }

    private void finish() {
        long t = now();
        if (callEnd == 0) {
            callEnd = t;
        }
        if (dnsStart != 0 && dnsEnd == 0) {
            dnsEnd = t;
        }
        if (connectStart != 0 && tcpEnd == 0) {
            tcpEnd = t;
        }
        if (secureStart != 0 && secureEnd == 0) {
            secureEnd = t;
        }
    }

    /**
     * The {@code notAfter} of the server's leaf certificate from the last completed handshake, or null when no
     * handshake completed (plain HTTP, or TLS failed: then the certificate was not accepted and is not reported).
     */
    synchronized Instant certificateNotAfter() {
        return certificateNotAfter;
    }

    /**
     * The protocol version of the last completed handshake as Java names it ({@code TLSv1.3}), or null when no
     * handshake completed.
     */
    synchronized String tlsVersion() {
        return tlsVersion;
    }

    /**
     * The cipher suite of the last completed handshake as Java names it ({@code TLS_AES_128_GCM_SHA256}), or null
     * when no handshake completed.
     */
    synchronized String cipherSuite() {
        return cipherSuite;
    }

    /** Addresses of the last successful {@code dnsEnd}, empty when DNS failed or did not run. */
    synchronized List<InetAddress> resolvedAddresses() {
        return List.copyOf(resolved);
    }

    /**
     * The phases so far. When the call has not reported its end yet (the caller gave up waiting), the end is taken
     * as now, so {@code totalMs} is always present once the call started.
     */
    synchronized Phases phases() {
        if (callStart != 0 && callEnd == 0) {
            finish();
        }
        return new Phases(
                Phases.millis(dnsStart, dnsEnd),
                Phases.millis(connectStart, tcpEnd),
                Phases.millis(secureStart, secureEnd),
                Phases.millis(requestHeadersStart, responseHeadersStart),
                Phases.millis(callStart, callEnd));
    }
}
