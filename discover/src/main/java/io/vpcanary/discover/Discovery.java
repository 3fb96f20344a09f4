package io.vpcanary.discover;

import java.util.List;

/**
 * One discovery: read the regions and Route 53 through {@link AccountReader}, build the estate with
 * {@link EstateBuilder}. What {@code vpcanary discover} runs; docs/discover.md describes it.
 */
public final class Discovery {

    private Discovery() {
    }

    /** The estate of {@code regions} of the account the clients reach. */
    public static EstateBuilder.Result discover(DiscoverClients clients, List<String> regions) {
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("name at least one region");
        }
        return EstateBuilder.build(new AccountReader(clients).read(regions));
    }

    /** The comment lines a discovered estate file starts with. */
    public static List<String> header(List<String> regions) {
        return List.of("Discovered by vpcanary discover from " + String.join(", ", regions) + " (docs/discover.md).",
                "Edit freely: rediscovery into this file adds what is new in the account and keeps your edits and "
                        + "comments.");
    }
}
