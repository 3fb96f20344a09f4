package io.vpcanary.aws;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The corpus of real API Gateway error answers ({@code io/vpcanary/aws/api-gateway-error-corpus.json}): the one
 * oracle the probes' classifier and the lab's rendered answers are both tested against. Its {@code about} says what
 * each field means.
 */
public final class ErrorCorpus {

    private static final String RESOURCE = "/io/vpcanary/aws/api-gateway-error-corpus.json";
    private static final List<Entry> ENTRIES = load();

    private ErrorCorpus() {
    }

    /** Where an entry's wording comes from. */
    public record Source(String url, String kind, List<String> also) {
    }

    /** The lab's case (in its {@code aws-messages.properties}) that renders an entry, with placeholder values. */
    public record LabCase(@JsonProperty("case") String name, Map<String, String> values) {
    }

    /**
     * One real answer.
     *
     * @param id          stable name
     * @param errorClass  the class the classifier must give it ({@code class} in the file)
     * @param auth        the authorizer type of the API answering ({@code io.vpcanary.estate.AuthType} name)
     * @param status      HTTP status
     * @param errorType   the {@code x-amzn-ErrorType} header, or null when AWS sends none (or no source shows one)
     * @param body        one body exactly as AWS sent it
     * @param bodyPattern a regex every body of this kind matches in whole (variable parts as wildcards)
     * @param headers     other headers that matter: name to a regex of the value
     * @param source      where the wording comes from
     * @param confirmed   whether the exact wording was found in the source
     * @param note        what the source shows, and what it does not
     * @param lab         the lab's rendering of this answer, or null when the lab never sends it
     */
    public record Entry(String id, @JsonProperty("class") String errorClass, String auth, int status, String errorType, String body,
            String bodyPattern, Map<String, String> headers, Source source, boolean confirmed, String note,
            LabCase lab) {

        public Entry {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }

        /** Whether {@code candidate} has this entry's shape: the whole of it matches {@link #bodyPattern()}. */
        public boolean bodyMatches(String candidate) {
            return candidate != null && Pattern.compile(bodyPattern, Pattern.DOTALL).matcher(candidate).matches();
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private record File(List<String> about, List<Entry> entries) {
    }

    /** Every entry, in file order. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The entry named {@code id}; fails loudly for an unknown id. */
    public static Entry entry(String id) {
        return ENTRIES.stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no corpus entry '" + id + "'"));
    }

    private static List<Entry> load() {
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = ErrorCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return List.copyOf(json.readValue(in, File.class).entries());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
