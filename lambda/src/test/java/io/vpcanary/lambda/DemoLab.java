package io.vpcanary.lambda;

import io.vpcanary.lab.Lab;
import java.io.IOException;
import java.nio.file.Path;

/** A demo-estate lab on ephemeral ports with its state in {@code dir}, and its environment file written there. */
record DemoLab(Lab lab, Path envFile) implements AutoCloseable {

    static DemoLab start(Path dir) throws IOException {
        Lab lab = Lab.startDemo(Lab.Options.ephemeral(dir.resolve("lab-state")));
        Path env = dir.resolve("lab-env.json");
        lab.writeEnvironment(env);
        return new DemoLab(lab, env);
    }

    @Override
    public void close() {
        lab.close();
    }
}
