package io.vpcanary.testing;

import io.vpcanary.estate.EstateLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Texts of the bundled demo estate edited for tests, shared by the modules' tests (probes' test jar). */
public final class DemoEstates {

    /** The demo's own routingDomains block, up to the blank line before {@code lab:}. */
    private static final Pattern ROUTING = Pattern.compile("(?s)\\nroutingDomains:\\n.*?\\n\\nlab:\\n");

    private DemoEstates() {
    }

    /**
     * The demo estate's text with its routing domains replaced by {@code routingDomains}: YAML list entries, indented
     * by two spaces, each line ending in a newline (empty: no routing domains).
     */
    public static String withRoutingDomains(String routingDomains) {
        String demo = EstateLoader.demoText();
        Matcher m = ROUTING.matcher(demo);
        if (!m.find()) {
            throw new IllegalStateException("the demo estate no longer has its routingDomains block before lab:");
        }
        String replacement = routingDomains.isEmpty() ? "\n\nlab:\n" : "\nroutingDomains:\n" + routingDomains + "\nlab:\n";
        return demo.substring(0, m.start()) + replacement + demo.substring(m.end());
    }
}
