package io.vpcanary.estate;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of a YAML document starts: a map from JSON pointer ({@code /apis/0/stage}) to line and column.
 * A field's location is that of its key; an array element's that of its first token.
 */
final class YamlLocations {

    record Location(int line, int column) {
    }

    private final Map<String, Location> byPointer = new HashMap<>();

    static YamlLocations of(YAMLFactory factory, String text) throws IOException {
        YamlLocations out = new YamlLocations();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                String pointer = p.getParsingContext().pathAsPointer().toString();
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                JsonLocation loc = p.currentTokenLocation();
                out.byPointer.putIfAbsent(pointer, new Location(loc.getLineNr(), loc.getColumnNr()));
            }
        }
        return out;
    }

    /** Whether the document has no content at all (only comments or whitespace). */
    boolean isEmpty() {
        return byPointer.isEmpty();
    }

    /** The location of {@code pointer}, or of its nearest located ancestor. */
    Location find(String pointer) {
        String p = pointer;
        while (true) {
            Location l = byPointer.get(p);
            if (l != null) {
                return l;
            }
            int slash = p.lastIndexOf('/');
            if (slash <= 0) {
                return byPointer.getOrDefault("", new Location(1, 1));
            }
            p = p.substring(0, slash);
        }
    }
}
