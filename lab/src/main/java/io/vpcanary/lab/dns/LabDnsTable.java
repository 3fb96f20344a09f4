package io.vpcanary.lab.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The table of {@code docs/lab.md}: every name of the estate, plus names the estate does not define, against every
 * resolver view. One markdown row per name: the name in backticks, then per view the A record addresses (and
 * {@code ::1} for an AAAA record) separated by
 * {@code ", "}, {@value #NXDOMAIN} when the name does not exist there, or {@value #NODATA} when it exists without
 * addresses.
 */
public final class LabDnsTable {

    /** Cell of a name that does not exist in a view. */
    public static final String NXDOMAIN = "NXDOMAIN";
    /** Cell of a name that exists in a view with no A record. */
    public static final String NODATA = "NODATA";
    /** Marker line before the table. */
    public static final String START = "<!-- dns-table:start -->";
    /** Marker line after the table. */
    public static final String END = "<!-- dns-table:end -->";

    private LabDnsTable() {
    }

    /**
     * Names no estate defines, one per region of the lab plus one outside AWS: {@code unknown000.execute-api.{region}
     * .amazonaws.com} shows the private DNS wildcard at work, {@code unknown.example.com} resolves nowhere.
     */
    public static List<String> unknownNames(List<String> regions) {
        List<String> out = new ArrayList<>();
        for (String r : regions) {
            out.add("unknown000.execute-api." + r + ".amazonaws.com");
        }
        out.add("unknown.example.com");
        return out;
    }

    /** The table, marker lines included. */
    public static String markdown(LabDnsViews views, List<String> regions) {
        StringBuilder out = new StringBuilder(START).append('\n');
        out.append("| name | ").append(String.join(" | ", views.views())).append(" |\n");
        out.append("| ---").append(" | ---".repeat(views.views().size())).append(" |\n");
        List<String> names = new ArrayList<>(views.names());
        names.addAll(unknownNames(regions));
        for (String name : names) {
            out.append("| `").append(name).append("` |");
            for (String view : views.views()) {
                out.append(' ').append(cell(views.answer(view, name))).append(" |");
            }
            out.append('\n');
        }
        return out.append(END).append('\n').toString();
    }

    /** The text of one cell. */
    public static String cell(Optional<List<InetAddress>> answer) {
        if (answer.isEmpty()) {
            return NXDOMAIN;
        }
        if (answer.get().isEmpty()) {
            return NODATA;
        }
        return answer.get().stream().map(a -> a.equals(LabDnsViews.IPV6_LOOPBACK) ? "::1" : a.getHostAddress())
                .collect(Collectors.joining(", "));
    }
}
