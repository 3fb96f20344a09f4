package io.vpcanary.estate;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/**
 * What the estate says of its whole-estate load runs ({@code vpcanary load run}, docs/load.md): the relative weights of
 * its request names in the mix. A weight given on the command line ({@code --weight}) wins over the estate's for the
 * same key. Optional.
 *
 * @param weights relative weight by API name, or by {@code API:CHECK} for one check (default 1; 0 leaves it out)
 */
public record Load(
        @JsonPropertyDescription("Relative weight in whole-estate load runs, by API name or API:CHECK for one check (default 1; 0 leaves it out; a check's own weight wins over its API's). vpcanary load run --weight overrides a key.") Map<String, Double> weights) {

    /** No weights: every request name weighs 1. */
    public static final Load NONE = new Load(Map.of());

    public Load {
        weights = weights == null ? Map.of() : Map.copyOf(weights);
    }
}
