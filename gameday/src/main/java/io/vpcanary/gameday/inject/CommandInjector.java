package io.vpcanary.gameday.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command of the user's own for anything else, run without a shell (the argument list as given), with its restore
 * command kept in the journal. Each must exit 0 within {@value #TIMEOUT_SECONDS} s; their output goes to this
 * process's standard error.
 */
public final class CommandInjector implements FaultInjector {

    static final String KIND = "COMMAND";
    static final int TIMEOUT_SECONDS = 120;

    private final List<String> inject;
    private final List<String> restore;

    public CommandInjector(List<String> inject, List<String> restore) {
        this.inject = List.copyOf(inject);
        this.restore = List.copyOf(restore);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String describe() {
        return "command " + inject.getFirst() + " (restored by " + restore.getFirst() + ")";
    }

    @Override
    public ObjectNode prepare() {
        ObjectNode r = new ObjectMapper().createObjectNode();
        restore.forEach(r.putArray("restore")::add);
        return r;
    }

    @Override
    public JsonNode inject(ObjectNode prepared) {
        run(inject);
        return prepared;
    }

    /** Runs {@code cmd}; fails unless it exits 0 in time. */
    static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd.getFirst() + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(cmd.getFirst() + " exited with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot run " + cmd.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cmd.getFirst(), e);
        }
    }
}
