package io.vpcanary.lab;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * A lab server could not bind its port because something else has it. {@link #service()} says which of the lab's
 * ports it is ({@code HTTPS} for the front doors, {@code DNS} for the resolver views) and {@link #port()} the number,
 * so that a command can name the port and suggest another one. The cause is the {@link BindException}.
 */
public final class PortTakenException extends IOException {

    private final String service;
    private final InetSocketAddress address;

    public PortTakenException(String service, InetSocketAddress address, String message, BindException cause) {
        super(message, cause);
        this.service = service;
        this.address = address;
    }

    /** {@code HTTPS} or {@code DNS}. */
    public String service() {
        return service;
    }

    /** The address and port that could not be bound. */
    public InetSocketAddress address() {
        return address;
    }

    /** The port that is taken. */
    public int port() {
        return address.getPort();
    }

    /** Whether {@code cause} says that the address is in use (rather than, say, not assignable). */
    public static boolean inUse(Throwable cause) {
        return cause instanceof BindException && String.valueOf(cause.getMessage()).contains("in use");
    }
}
