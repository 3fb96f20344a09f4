package io.vpcanary.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} whose sockets have {@code TCP_NODELAY} set (Nagle's algorithm off) before they connect; the
 * sockets come from a delegate.
 *
 * <p>Why: a probe writes small segments back to back on a fresh connection (TLS 1.3: the client's Finished, then the
 * request). With Nagle on, the second write waits until the first is acknowledged, and the server's kernel delays
 * that acknowledgement (about 40 ms on Linux) because it has nothing to send yet. The probe would report those 40 ms as
 * its time to first byte, a delay no real client (curl, browsers, Netty, the AWS SDK) has, since they all set
 * {@code TCP_NODELAY}. The TLS socket OkHttp layers on top writes through this socket, so the option covers it too.
 */
final class NoDelaySocketFactory extends SocketFactory {

    private final SocketFactory delegate;

    NoDelaySocketFactory(SocketFactory delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return noDelay(delegate.createSocket(address, port, localAddress, localPort));
    }
}
