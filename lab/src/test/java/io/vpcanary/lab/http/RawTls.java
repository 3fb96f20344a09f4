package io.vpcanary.lab.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A bare HTTP/1.x client over TLS for tests that must send what no well-behaved client sends: it writes raw bytes
 * and reads responses by hand. Every read is bounded by the socket timeout given at connect.
 */
final class RawTls implements AutoCloseable {

    /** A response as read off the wire; header names lower case. */
    record RawResponse(int status, Map<String, String> headers, String body) {
        boolean closes() {
            return "close".equalsIgnoreCase(headers.get("connection"));
        }
    }

    /** What happened to a read: a response, the server closing, or nothing within the timeout. */
    enum End { RESPONSE, CLOSED, TIMEOUT }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawTls(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and completes the TLS handshake with SNI {@code host}. */
    static RawTls connect(SSLContext ctx, InetAddress address, int port, String host, int timeoutMs) throws IOException {
        return connect(ctx, address, port, host, timeoutMs, false);
    }

    /** As {@link #connect(SSLContext, InetAddress, int, String, int)}; {@code resumable} pins TLS 1.2 to resume sessions. */
    static RawTls connect(SSLContext ctx, InetAddress address, int port, String host, int timeoutMs, boolean resumable)
            throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        try {
            s.connect(new InetSocketAddress(address, port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (resumable) {
                // TLS 1.2 session resumption skips the key exchange: cheap reconnects for fuzzing
                p.setProtocols(new String[] {"TLSv1.2"});
            }
            s.setSSLParameters(p);
            s.startHandshake();
            return new RawTls(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** A plain TCP connection (no TLS), for sending garbage to the TLS port. */
    static RawTls plain(InetAddress address, int port, int timeoutMs) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(address, port), timeoutMs);
        s.setSoTimeout(timeoutMs);
        return new RawTls(s);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Whether the server closes the connection before the socket timeout (reading and discarding any bytes). */
    End awaitClose() {
        try {
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // discard until end of stream
            }
            return End.CLOSED;
        } catch (SocketTimeoutException e) {
            return End.TIMEOUT;
        } catch (IOException e) {
            return End.CLOSED; // reset or TLS alert: closed all the same
        }
    }

    /** Reads one response (skipping 1xx); null when the server closed first. */
    RawResponse read(boolean head) throws IOException {
        while (true) {
            String status = line();
            if (status == null) {
                return null;
            }
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new java.net.ProtocolException("not an HTTP/1.x status line: " + status);
            }
            int code;
            try {
                code = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new java.net.ProtocolException("bad status line: " + status);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            String h;
            while ((h = line()) != null && !h.isEmpty()) {
                int c = h.indexOf(':');
                if (c <= 0) {
                    throw new java.net.ProtocolException("bad response header: " + h);
                }
                headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
            }
            if (h == null) {
                throw new IOException("connection closed inside a response head");
            }
            if (code >= 100 && code < 200) {
                continue;
            }
            String cl = headers.get("content-length");
            if (cl == null) {
                throw new java.net.ProtocolException("response without content-length: " + status);
            }
            int length = head ? 0 : Integer.parseInt(cl);
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("connection closed inside a response body");
            }
            return new RawResponse(code, headers, new String(body, StandardCharsets.UTF_8));
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
            if (b.size() > 65_536) {
                throw new IOException("response line too long");
            }
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
