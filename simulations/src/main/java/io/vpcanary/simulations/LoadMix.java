package io.vpcanary.simulations;

import io.vpcanary.core.Durations;
import io.vpcanary.estate.Estate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The traffic mix of a whole-estate load run ({@link EstateLoadSimulation}): which regions are driven, how the run's
 * total rate is shared among its request names, and how often progress is printed. Read from system properties (empty =
 * not given), which {@code vpcanary load run} sets from its flags:
 *
 * <ul>
 *   <li>{@code vpcanary.regions}: comma-separated estate regions to drive (default every region);</li>
 *   <li>{@code vpcanary.weights}: comma-separated {@code API=W} or {@code API:CHECK=W}, relative weights (default: the
 *       estate's {@code load.weights} ({@link #over}), else 1; a check's own weight wins over its API's; 0 leaves it
 *       out);</li>
 *   <li>{@code vpcanary.progress}: how often a progress line is printed (default {@value #DEFAULT_PROGRESS}).</li>
 * </ul>
 *
 * <p>With a total {@code rate} R (users per second over the whole estate, one request each), request name i of
 * weight w<sub>i</sub> gets R × w<sub>i</sub> / Σw users per second on the open model for the run's duration, so over
 * a duration of D whole seconds it is sent round(R × w<sub>i</sub> / Σw × D) requests ({@link #users}: Gatling's
 * constant-rate injection, which is deterministic: users start at fixed intervals).
 *
 * @param regions  regions to drive, empty for all
 * @param weights  weight by API name or {@code API:CHECK}
 * @param progress interval between progress lines
 */
public record LoadMix(List<String> regions, Map<String, Double> weights, Duration progress) {

    public static final String DEFAULT_PROGRESS = "10s";

    public LoadMix {
        regions = List.copyOf(regions);
        weights = Map.copyOf(weights);
        Objects.requireNonNull(progress, "progress");
    }

    /** The mix from {@link System#getProperties()}. */
    public static LoadMix fromSystemProperties() {
        Map<String, String> map = new java.util.HashMap<>();
        System.getProperties().stringPropertyNames().forEach(n -> map.put(n, System.getProperty(n)));
        return from(map);
    }

    /**
     * The mix from property names to values; see the type's documentation.
     *
     * @throws IllegalArgumentException naming the property and an example of a good value
     */
    public static LoadMix from(Map<String, String> props) {
        List<String> regions = new ArrayList<>();
        for (String r : text(props, "vpcanary.regions").split(",")) {
            if (!r.isBlank()) {
                regions.add(r.strip());
            }
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (String w : text(props, "vpcanary.weights").split(",")) {
            if (w.isBlank()) {
                continue;
            }
            int eq = w.lastIndexOf('=');
            String key = eq < 0 ? "" : w.substring(0, eq).strip();
            double weight;
            try {
                weight = eq < 0 ? Double.NaN : Double.parseDouble(w.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                weight = Double.NaN;
            }
            if (key.isEmpty() || !(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("vpcanary.weights takes API=W or API:CHECK=W with W a number >= 0, "
                        + "comma-separated, such as orders=3,orders:health=0.5; got '" + w.strip() + "'");
            }
            weights.put(key, weight);
        }
        String progress = text(props, "vpcanary.progress");
        return new LoadMix(regions, weights, Durations.parsePositive("vpcanary.progress",
                progress.isBlank() ? DEFAULT_PROGRESS : progress));
    }

    /**
     * This mix over the estate's own weights ({@code load.weights}): a weight given here wins over the estate's for the
     * same key.
     */
    public LoadMix over(Estate estate) {
        Map<String, Double> merged = new LinkedHashMap<>(estate.load().weights());
        merged.putAll(weights);
        return new LoadMix(regions, merged, progress);
    }

    /**
     * The request names of {@code plan} this mix drives: those in the chosen regions with a weight above 0; the others
     * are listed in the plan's skipped lines.
     *
     * @throws IllegalArgumentException when a region or a weighted API is not in the estate
     */
    public PathPlan select(PathPlan plan, Estate estate) {
        check(estate);
        List<PathRequest> driven = new ArrayList<>();
        List<String> skipped = new ArrayList<>(plan.skipped());
        for (PathRequest r : plan.requests()) {
            if (!regions.isEmpty() && !regions.contains(r.region())) {
                skipped.add(r.name() + ": region " + r.region() + " is not among " + regions);
            } else if (weightOf(r) == 0) {
                skipped.add(r.name() + ": weight 0");
            } else {
                driven.add(r);
            }
        }
        return new PathPlan(driven, skipped, plan.addresses());
    }

    /**
     * Checks that every region and weighted API of this mix is in {@code estate}.
     *
     * @throws IllegalArgumentException naming the first that is not, and what the estate has
     */
    public void check(Estate estate) {
        Set<String> known = estate.regions();
        for (String r : regions) {
            if (!known.contains(r)) {
                throw new IllegalArgumentException("vpcanary.regions names " + r + ", which no API of the estate is "
                        + "deployed to (it has " + String.join(", ", known) + ")");
            }
        }
        for (String key : weights.keySet()) {
            String api = key.contains(":") ? key.substring(0, key.indexOf(':')) : key;
            if (estate.api(api).isEmpty()) {
                throw new IllegalArgumentException("vpcanary.weights names API " + api + ", which the estate does not "
                        + "have (it has " + String.join(", ", estate.apis().stream().map(a -> a.name()).toList()) + ")");
            }
        }
    }

    /** The weight of a request name: its check's, else its API's, else 1. */
    public double weightOf(PathRequest r) {
        Double w = weights.get(r.api() + ":" + r.target().check());
        if (w == null) {
            w = weights.get(r.api());
        }
        return w == null ? 1.0 : w;
    }

    /**
     * The users per second of each request name of {@code plan} when {@code total} are shared by weight.
     *
     * @throws IllegalArgumentException when some request name would get no user in {@code duration}
     */
    public Map<String, Double> rates(PathPlan plan, double total, Duration duration) {
        double sum = plan.requests().stream().mapToDouble(this::weightOf).sum();
        Map<String, Double> rates = new LinkedHashMap<>();
        Set<String> starved = new TreeSet<>();
        double needed = 0;
        for (PathRequest r : plan.requests()) {
            double rate = total * weightOf(r) / sum;
            rates.put(r.name(), rate);
            if (users(rate, duration) < 1) {
                starved.add(r.name());
                needed = Math.max(needed, 0.5 * sum / weightOf(r) / Math.max(1, duration.toSeconds()));
            }
        }
        if (!starved.isEmpty()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "rate %s over %s starts no request of %d "
                            + "request names (such as '%s'); give a rate of at least %.2f, a longer duration, or fewer "
                            + "request names (regions, weights 0)", total, duration, starved.size(),
                    starved.iterator().next(), Math.ceil(needed * 100) / 100));
        }
        return rates;
    }

    /**
     * The users Gatling's constant-rate injection starts at {@code rate} per second over {@code duration}: the rate
     * times the whole seconds of the duration, rounded to the nearest whole number (its {@code users}).
     */
    public static long users(double rate, Duration duration) {
        return Math.round(duration.toSeconds() * rate);
    }

    private static String text(Map<String, String> props, String name) {
        String v = props.get(name);
        return v == null ? "" : v.strip();
    }
}
