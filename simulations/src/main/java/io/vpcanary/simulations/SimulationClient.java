package io.vpcanary.simulations;

import io.vpcanary.core.ClientEnvironment;
import io.vpcanary.core.TargetMode;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.EstateException;
import io.vpcanary.estate.EstateLoader;
import io.vpcanary.probe.AuthMaterial;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a load run faces and where it stands: the estate, and the {@link ClientEnvironment} of the core, from the lab
 * ({@code vpcanary.target=lab}, the default: a running lab's environment file or an embedded lab) or from AWS settings
 * ({@code vpcanary.target=aws}: a real estate, the selected vantages, their resolvers, trust and credentials).
 * {@link #close()} stops an embedded lab.
 */
public final class SimulationClient implements AutoCloseable {

    private final Estate estate;
    private final ClientEnvironment client;
    private final SimulationLab lab;

    private SimulationClient(Estate estate, ClientEnvironment client, SimulationLab lab) {
        this.estate = estate;
        this.client = client;
        this.lab = lab;
    }

    /**
     * Opens what the settings name.
     *
     * @throws IOException              when a lab cannot be read or started
     * @throws IllegalArgumentException for bad settings (one line naming the property)
     * @throws IllegalStateException    when an estate file is invalid (file, line and field)
     */
    public static SimulationClient open(SimulationSettings settings) throws IOException {
        if (settings.target() == TargetMode.AWS) {
            Path file = settings.estate().orElseThrow();
            Estate estate;
            try {
                estate = EstateLoader.load(file);
            } catch (EstateException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            char[] password = null;
            if (settings.trustStore().isPresent()) {
                String value = System.getenv(settings.trustStorePasswordEnv());
                password = value == null ? null : value.toCharArray();
            }
            ClientEnvironment client = ClientEnvironment.aws(estate, new ClientEnvironment.AwsSettings(
                    settings.vantages(), settings.resolvers(), settings.port(), settings.trustStore().orElse(null),
                    password, AuthMaterial.awsCredentials(settings.profile()), System::getenv));
            return new SimulationClient(estate, client, null);
        }
        SimulationLab lab = SimulationLab.open(settings);
        try {
            ClientEnvironment client = ClientEnvironment.lab(lab.environment(), lab.estate(), settings.vantages(),
                    System::getenv);
            return new SimulationClient(lab.estate(), client, lab);
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    /** The estate driven. */
    public Estate estate() {
        return estate;
    }

    /** Where the client stands and what it has. */
    public ClientEnvironment client() {
        return client;
    }

    /** The lab, in lab mode. */
    public Optional<SimulationLab> lab() {
        return Optional.ofNullable(lab);
    }

    /** A line saying what this run faces, for the run's log. */
    public String description() {
        return lab != null ? lab.description() : client.description() + " (" + estate.apis().size() + " APIs)";
    }

    /** Stops an embedded lab. Idempotent. */
    @Override
    public void close() {
        if (lab != null) {
            lab.close();
        }
    }

    /** Stops an embedded lab, then publishes and closes {@code metrics} even when stopping failed: a run's end. */
    public void close(SimulationMetrics metrics) {
        try {
            close();
        } finally {
            metrics.close();
        }
    }
}
