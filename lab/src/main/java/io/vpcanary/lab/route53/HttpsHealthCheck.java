package io.vpcanary.lab.route53;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One observation of an HTTPS health check, as Route 53's checkers make it: a TLS connection to the target (the
 * certificate is not validated, as Route 53 does not), {@code GET /ping} with the domain as Host and SNI, healthy when
 * the status is 2xx or 3xx within the timeout.
 */
final class HttpsHealthCheck {

    private static final SSLContext TRUST_ALL = trustAll();

    private final int port;

    HttpsHealthCheck(int port) {
        this.port = port;
    }

    /** Whether the first of {@code addresses} answers {@code /ping} with 2xx or 3xx within {@code timeoutMs}. */
    boolean ping(List<InetAddress> addresses, String host, long timeoutMs) {
        if (addresses.isEmpty()) {
            return false;
        }
        int timeout = (int) Math.max(50, Math.min(timeoutMs, 4000));
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(addresses.getFirst(), port), timeout);
            plain.setSoTimeout(timeout);
            try (SSLSocket tls = (SSLSocket) TRUST_ALL.getSocketFactory().createSocket(plain, host, port, false)) {
                tls.startHandshake();
                OutputStream out = tls.getOutputStream();
                out.write(("GET /ping HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: Amazon-Route53-Health-Check-Service"
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = tls.getInputStream();
                byte[] head = in.readNBytes(12);
                if (head.length < 12) {
                    return false;
                }
                char c = (char) head[9];
                return c == '2' || c == '3';
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static SSLContext trustAll() {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
