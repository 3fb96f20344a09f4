package io.vpcanary.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What every CloudFormation template vpcanary generates is written with: the YAML form (deterministic, dates quoted),
 * intrinsic functions as trees, and logical ids and region conditions derived from names. Used by {@link SamTemplate}
 * and by the alarm template of the dashboards module.
 */
public final class CloudFormation {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .stringQuotingChecker(new DatesQuoted())
            .build());
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    /** Also quotes what YAML 1.1 reads as a date, such as the version strings 2010-09-09 and 2012-10-17. */
    private static final class DatesQuoted extends StringQuotingChecker.Default {
        @Override
        public boolean needToQuoteValue(String value) {
            return DATE.matcher(value).matches() || super.needToQuoteValue(value);
        }
    }

    private CloudFormation() {
    }

    /** {@code template} as YAML, after {@code header} (comment lines, each ending with a newline). */
    public static String yaml(String header, JsonNode template) {
        try {
            return header + YAML.writeValueAsString(template);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode ref(String name) {
        return F.objectNode().put("Ref", name);
    }

    public static ObjectNode sub(String text) {
        return F.objectNode().put("Fn::Sub", text);
    }

    public static ObjectNode getAtt(String resource, String attribute) {
        ObjectNode n = F.objectNode();
        n.putArray("Fn::GetAtt").add(resource).add(attribute);
        return n;
    }

    /** The intrinsic function {@code name} applied to {@code args}. */
    public static ObjectNode fn(String name, JsonNode args) {
        ObjectNode n = F.objectNode();
        n.set(name, args);
        return n;
    }

    /** {@code InUsEast1} for {@code us-east-1}: the condition of resources that exist only in that region. */
    public static String regionCondition(String region) {
        return "In" + pascal(region);
    }

    /** The condition {@link #regionCondition(String)} names: the stack is deployed in {@code region}. */
    public static ObjectNode inRegion(String region) {
        return fn("Fn::Equals", F.arrayNode().add(ref("AWS::Region")).add(region));
    }

    /** {@code CanaryEast} for {@code canary-east}: letters and digits only, as CloudFormation logical ids need. */
    public static String pascal(String name) {
        StringBuilder b = new StringBuilder();
        for (String part : name.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                b.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
            }
        }
        if (b.isEmpty() || !Character.isLetter(b.charAt(0))) {
            b.insert(0, "Vpc");
        }
        return b.toString();
    }
}
