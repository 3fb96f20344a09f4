package io.vpcanary.core;

import io.vpcanary.estate.Estate;
import io.vpcanary.estate.Vpc;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Vantage points: where a client stands. A vantage is a VPC of the estate, named by its {@code name} or its
 * {@code id}, or {@link Estate#ON_PREMISES}. Every target names the vantage whose resolver it needs
 * ({@link io.vpcanary.access.Target#vantage()}); a runner runs only the targets of the vantages it stands in, and
 * labels each result with the vantage it used, never another.
 */
public final class Vantages {

    private Vantages() {
    }

    /** Every vantage of the estate: its VPCs by name, in estate order, then {@code on-premises}. */
    public static List<String> all(Estate estate) {
        return estate.vantagePoints();
    }

    /**
     * The canonical names (VPC names, {@code on-premises}) of {@code given}, in the order given, without repeats.
     *
     * @throws IllegalArgumentException for a name that is neither a VPC name, a VPC id nor {@code on-premises}; the
     *                                  message lists the estate's vantages
     */
    public static Set<String> resolve(Estate estate, List<String> given) {
        Set<String> out = new LinkedHashSet<>();
        for (String g : given) {
            String name = g == null ? "" : g.strip();
            out.add(canonical(estate, name));
        }
        return out;
    }

    /** The canonical name of one vantage. */
    public static String canonical(Estate estate, String name) {
        if (Estate.ON_PREMISES.equals(name)) {
            return name;
        }
        for (Vpc vpc : estate.network().vpcs()) {
            if (vpc.name().equals(name) || name.equals(vpc.id())) {
                return vpc.name();
            }
        }
        throw new IllegalArgumentException("unknown vantage '" + name + "': the estate's vantages are "
                + describeAll(estate));
    }

    /** {@code canary-east (vpc-0a1...), ..., on-premises}, for messages. */
    public static String describeAll(Estate estate) {
        List<String> parts = new ArrayList<>();
        for (Vpc vpc : estate.network().vpcs()) {
            parts.add(vpc.name() + (vpc.id() == null ? "" : " (" + vpc.id() + ")"));
        }
        parts.add(Estate.ON_PREMISES);
        return String.join(", ", parts);
    }
}
