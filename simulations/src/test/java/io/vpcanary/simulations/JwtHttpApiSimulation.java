package io.vpcanary.simulations;

import io.vpcanary.estate.AuthType;
import java.io.IOException;

/**
 * Every access path × region of every HTTP API with a JWT authorizer (the demo estate's {@code payments}), each request
 * carrying a bearer token from the OAuth client the lab's identity provider registered for the API, one token provider
 * per API shared by all virtual users and refreshed before expiry ({@link RequestAuth#jwt}); see
 * {@link LabPathSimulation} for what is driven and asserted.
 */
public class JwtHttpApiSimulation extends LabPathSimulation {

    public JwtHttpApiSimulation() throws IOException {
        super(AuthType.JWT);
    }
}
