package io.vpcanary.simulations;

import io.vpcanary.estate.AuthType;
import java.io.IOException;

/**
 * Every access path × region of every API with IAM authorization (the demo estate's private REST API {@code ledger}),
 * each request signed with SigV4 by the lab principal when Gatling sends it ({@link RequestAuth#sigV4}); see
 * {@link LabPathSimulation} for what is driven and asserted.
 */
public class SignedRestSimulation extends LabPathSimulation {

    public SignedRestSimulation() throws IOException {
        super(AuthType.IAM);
    }
}
