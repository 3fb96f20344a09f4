package io.vpcanary.simulations;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.lab.Lab;
import io.vpcanary.labenv.LabEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The lab a simulation drives: an already running one named by its environment file ({@code vpcanary.labEnv}), or
 * one started here on ephemeral ports for the estate in {@code vpcanary.estate}, or for the bundled demo estate when
 * neither is given. {@link #close()} stops a lab started here and leaves a running one alone.
 */
public final class SimulationLab implements AutoCloseable {

    private final LabEnvironment environment;
    private final Estate estate;
    private final Lab embedded;
    private final String description;

    private SimulationLab(LabEnvironment environment, Estate estate, Lab embedded, String description) {
        this.environment = environment;
        this.estate = estate;
        this.embedded = embedded;
        this.description = description;
    }

    /**
     * Opens the lab the settings name.
     *
     * @throws IOException            when the environment file cannot be read or the lab cannot start
     * @throws IllegalStateException  when an estate file is invalid (the message names file, line and field)
     */
    public static SimulationLab open(SimulationSettings settings) throws IOException {
        if (settings.labEnv().isPresent()) {
            Path file = settings.labEnv().get();
            LabEnvironment env = readEnvironment(file);
            if (env.estate() == null) {
                throw new IOException("the lab environment " + file + " names no estate file");
            }
            return new SimulationLab(env, load(Path.of(env.estate())), null, "the running lab of " + file);
        }
        Lab.Options options = Lab.Options.ephemeral(settings.labState());
        Lab lab;
        String description;
        if (settings.estate().isPresent()) {
            Path file = settings.estate().get();
            lab = Lab.start(load(file), file, options);
            description = "an embedded lab serving " + file;
        } else {
            lab = Lab.startDemo(options);
            description = "an embedded lab serving the demo estate";
        }
        try {
            Estate estate = lab.estate();
            return new SimulationLab(lab.environment(), estate, lab, description);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /**
     * The environment file of a running lab named by {@code vpcanary.labEnv}.
     *
     * @throws IOException when it is not a file (the message says how to start a lab) or cannot be read
     */
    static LabEnvironment readEnvironment(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("vpcanary.labEnv names " + file + ", which is not a file; start a lab with "
                    + "'vpcanary lab --env-file " + file + "' first, or leave vpcanary.labEnv empty to start one here");
        }
        return LabEnvironment.read(file);
    }

    private static Estate load(Path file) {
        try {
            return EstateLoader.load(file);
        } catch (EstateException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** What the lab tells its clients. */
    public LabEnvironment environment() {
        return environment;
    }

    /** The estate the lab serves. */
    public Estate estate() {
        return estate;
    }

    /** The lab started here, if one was. */
    public Optional<Lab> embedded() {
        return Optional.ofNullable(embedded);
    }

    /** A line saying which lab this is, for the run's log. */
    public String description() {
        return description;
    }

    /** Stops the lab if it was started here. Idempotent. */
    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
