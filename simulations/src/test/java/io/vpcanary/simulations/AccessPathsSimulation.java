package io.vpcanary.simulations;

import io.vpcanary.estate.AuthType;
import java.io.IOException;

/**
 * Every access path × region of every REST and HTTP API without an authorizer, as plain HTTPS GETs; see
 * {@link LabPathSimulation} for what is driven and asserted.
 */
public class AccessPathsSimulation extends LabPathSimulation {

    public AccessPathsSimulation() throws IOException {
        super(AuthType.NONE);
    }
}
