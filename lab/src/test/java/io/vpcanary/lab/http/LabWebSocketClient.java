package io.vpcanary.lab.http;

import io.vpcanary.lab.tls.LabCa;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Dns;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A test-side WebSocket client of the lab (Java-WebSocket): TLS trusting the lab CA, names resolved as one resolver
 * view would ({@link LabClients#view}), messages queued, the close code kept. Every wait is bounded.
 */
public final class LabWebSocketClient extends WebSocketClient {

    /** What ended the connection: the close code (-1 when it never opened) and reason. */
    public record Closed(int code, String reason, boolean remote) {
    }

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private volatile Exception error;

    private final LabCa ca;
    private final Dns dns;

    public LabWebSocketClient(URI uri, Map<String, String> headers, LabCa ca, Dns dns) {
        super(uri, headers);
        this.ca = ca;
        this.dns = dns;
        setConnectionLostTimeout(0);
    }

    /**
     * Opens the connection: resolves the name with the view, connects, completes TLS with the name as SNI and
     * verified host, then asks for the upgrade. False when the upgrade was refused (see {@link #closed()} for why).
     */
    public boolean open() throws Exception {
        URI uri = getURI();
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(dns.lookup(uri.getHost()).getFirst(), uri.getPort()), 10_000);
        SSLSocket tls = (SSLSocket) LabClients.sslContext(ca).getSocketFactory()
                .createSocket(plain, uri.getHost(), uri.getPort(), true);
        SSLParameters p = tls.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(p);
        tls.setSoTimeout(10_000);
        tls.startHandshake();
        tls.setSoTimeout(0);
        setSocket(tls);
        return connectBlocking(10, TimeUnit.SECONDS);
    }

    /** The next message, waiting at most 10 s; null when none came. */
    public String next() throws InterruptedException {
        return messages.poll(10, TimeUnit.SECONDS);
    }

    /** How the connection ended, waiting at most 10 s. */
    public Closed closed() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
        messages.add(message);
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closed.complete(new Closed(code, reason, remote));
    }

    @Override
    public void onError(Exception ex) {
        error = ex;
    }

    /** The last error the client reported, or null. */
    public Exception error() {
        return error;
    }
}
