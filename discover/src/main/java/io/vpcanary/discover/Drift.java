package io.vpcanary.discover;

import io.vpcanary.access.Target;
import io.vpcanary.access.TargetPlanner;
import io.vpcanary.estate.Api;
import io.vpcanary.estate.ApiRegion;
import io.vpcanary.estate.Estate;
import io.vpcanary.estate.RoutingDomain;
import io.vpcanary.estate.RoutingRecord;
import io.vpcanary.estate.Vpc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an account has that an estate file does not monitor, and the reverse: APIs (each region of each), access paths
 * (API region, path, and the VPC it is called from), vantages (VPCs with an execute-api endpoint) and routing records.
 * Items are matched by what AWS names them (API ids, VPC ids, domain names), not by the names in the file, so renaming
 * an API or a VPC in the file is not drift. A path counts as monitored when a check of the file that expects success
 * goes through it; a negative check (one expecting a refusal) monitors nothing. Coverage is the share of the account's
 * items the file monitors. Immutable.
 *
 * @param unmonitored in the account, not monitored by the file
 * @param stale       in the file, not in the account
 * @param accountItems how many items the account has
 */
public record Drift(List<Item> unmonitored, List<Item> stale, int accountItems) {

    /** What an item is. */
    public enum Kind {
        API("API"), PATH("path"), VANTAGE("vantage"), ROUTING_RECORD("routing record");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One item: its kind, the key it is matched by, and how it reads. */
    public record Item(Kind kind, String key, String description) {

        /** Its kind and key: what it is matched by. */
        String id() {
            return kind.name() + " " + key;
        }
    }

    public Drift {
        unmonitored = List.copyOf(unmonitored);
        stale = List.copyOf(stale);
    }

    /** The drift of {@code file} against what was discovered in the account. */
    public static Drift between(Estate account, Estate file) {
        Map<String, Item> have = items(account);
        Map<String, Item> monitored = items(file);
        List<Item> missing = have.values().stream().filter(i -> !monitored.containsKey(i.id())).toList();
        List<Item> gone = monitored.values().stream().filter(i -> !have.containsKey(i.id())).toList();
        return new Drift(missing, gone, have.size());
    }

    /** The account's items the file monitors, in percent (100 for an account with none). */
    public double coverage() {
        return accountItems == 0 ? 100.0 : 100.0 * (accountItems - unmonitored.size()) / accountItems;
    }

    /** How many unmonitored items are of {@code kind}. */
    public long unmonitored(Kind kind) {
        return unmonitored.stream().filter(i -> i.kind() == kind).count();
    }

    /** The report: one line per item, then the coverage line. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        unmonitored.forEach(i -> out.add(String.format(Locale.ROOT, "unmonitored     %-15s %s", i.kind(),
                i.description())));
        stale.forEach(i -> out.add(String.format(Locale.ROOT, "not in account  %-15s %s", i.kind(), i.description())));
        out.add(String.format(Locale.ROOT, "coverage %.1f %%: %d of %d account items monitored (unmonitored: %d APIs, "
                        + "%d paths, %d vantages, %d routing records); %d in the file and not in the account",
                coverage(), accountItems - unmonitored.size(), accountItems, unmonitored(Kind.API),
                unmonitored(Kind.PATH), unmonitored(Kind.VANTAGE), unmonitored(Kind.ROUTING_RECORD), stale.size()));
        return out;
    }

    private static Map<String, Item> items(Estate e) {
        Map<String, Item> out = new LinkedHashMap<>();
        for (Api a : e.apis()) {
            for (ApiRegion r : a.regions()) {
                put(out, new Item(Kind.API, r.region() + "/" + r.id(), a.name() + " " + r.region() + " " + r.id()
                        + " (" + a.type() + " " + a.endpointType() + ", stage " + a.stage() + ")"));
            }
        }
        for (Vpc v : e.network().vpcs()) {
            if (!e.network().endpointsIn(v.id()).isEmpty()) {
                put(out, new Item(Kind.VANTAGE, v.id(), v.name() + " (" + v.id() + ", " + v.region() + ")"));
            }
        }
        for (Target t : new TargetPlanner(e, 443).targets()) {
            if (t.expect().expectsFailure()) {
                continue;
            }
            String vpc = e.network().vpcNamed(t.vantage()).map(Vpc::id).orElse(t.vantage());
            put(out, new Item(Kind.PATH, t.region() + "/" + t.apiId() + "/" + t.accessPath() + "/" + vpc,
                    t.api() + " " + t.region() + " " + t.accessPath() + " from " + t.vantage()));
        }
        for (RoutingDomain d : e.routingDomains()) {
            for (RoutingRecord r : d.records()) {
                String id = e.api(r.api()).flatMap(a -> a.region(r.region())).map(ApiRegion::id).orElse(r.api());
                String what = r.role() != null ? r.role() : r.weight() != null ? "weight " + r.weight() : "latency";
                put(out, new Item(Kind.ROUTING_RECORD, d.domain().toLowerCase(Locale.ROOT) + "/" + r.region() + "/" + id,
                        d.domain() + " " + d.policy() + " " + what + ": " + r.api() + " " + r.region()));
            }
        }
        return out;
    }

    private static void put(Map<String, Item> m, Item i) {
        m.putIfAbsent(i.id(), i);
    }
}
