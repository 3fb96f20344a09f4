package io.vpcanary.estate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads and validates estate files. Unknown fields, wrong types and broken references are errors; each is
 * reported with file, line, column and field, all of them at once when the YAML itself parses.
 */
public final class EstateLoader {

    /** Class-path location of the demo estate that ships with vpcanary. */
    public static final String DEMO_RESOURCE = "/io/vpcanary/estate/demo-estate.yaml";
    /** The full demo: API Gateway's features since 2024 that the default demo leaves out to stay quick. */
    public static final String FULL_DEMO_RESOURCE = "/io/vpcanary/estate/demo-estate-full.yaml";

    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private EstateLoader() {
    }

    /** The mapper that reads estate YAML strictly. */
    static ObjectMapper mapper() {
        return new ObjectMapper(YAML)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    /** Loads and validates the estate at {@code file}. */
    public static Estate load(Path file) throws EstateException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EstateException(List.of(new EstateException.Problem(file, 0, 0, "",
                    "cannot read estate file: " + e.getClass().getSimpleName() + ": " + e.getMessage())));
        }
        return parse(file, text);
    }

    /** Loads the demo estate bundled with vpcanary. */
    public static Estate demo() {
        return bundled(DEMO_RESOURCE, "demo-estate.yaml");
    }

    /** Loads the full demo estate bundled with vpcanary ({@link #FULL_DEMO_RESOURCE}). */
    public static Estate fullDemo() {
        return bundled(FULL_DEMO_RESOURCE, "demo-estate-full.yaml");
    }

    /** Reads the text of the bundled demo estate. */
    public static String demoText() {
        return bundledText(DEMO_RESOURCE);
    }

    /** Reads the text of the bundled full demo estate. */
    public static String fullDemoText() {
        return bundledText(FULL_DEMO_RESOURCE);
    }

    private static Estate bundled(String resource, String name) {
        try {
            return parse(Path.of(name), bundledText(resource));
        } catch (EstateException e) {
            throw new IllegalStateException("the bundled " + name + " is invalid: " + e.getMessage(), e);
        }
    }

    private static String bundledText(String resource) {
        try (InputStream in = EstateLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled estate missing from the class path: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and validates estate YAML; {@code file} names it in errors. */
    public static Estate parse(Path file, String text) throws EstateException {
        return parse(file, text, Estate.class, "estate", EstateValidator::validate);
    }

    /**
     * Parses YAML of another vpcanary file type (a game-day plan, say) as strictly as an estate, and validates it:
     * unknown fields, wrong types, duplicate keys and {@code validate}'s violations are {@link EstateException}
     * problems at {@code file:line:column} with the field's path.
     *
     * @param type     the record the document maps to
     * @param what     what the file is, for "the {what} file is empty"
     * @param validate the rules the type system cannot check, as violations at JSON pointers
     */
    public static <T> T parse(Path file, String text, Class<T> type, String what,
                              java.util.function.Function<T, List<EstateValidator.Violation>> validate)
            throws EstateException {
        YamlLocations locations;
        try {
            locations = YamlLocations.of(YAML, text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new EstateException(List.of(new EstateException.Problem(file,
                    loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(), "",
                    "not valid YAML: " + yamlProblem(e))));
        } catch (IOException e) {
            throw new EstateException(List.of(new EstateException.Problem(file, 0, 0, "", "cannot read: " + e)));
        }
        if (text.isBlank() || locations.isEmpty()) {
            throw new EstateException(List.of(new EstateException.Problem(file, 1, 1, "", "the " + what
                    + " file is empty")));
        }
        T estate;
        try {
            estate = mapper().readValue(text, type);
        } catch (JsonMappingException e) {
            String field = fieldOf(e.getPath());
            // Records are built through their constructor, so Jackson buffers properties and reports the end of the
            // enclosing mapping; the path it reports is exact, so locate the field by its path.
            var loc = e.getLocation();
            int line = loc == null ? 0 : loc.getLineNr();
            int col = loc == null ? 0 : loc.getColumnNr();
            if (!e.getPath().isEmpty() || line <= 0) {
                var l = locations.find(pointerOf(e.getPath()));
                line = l.line();
                col = l.column();
            }
            throw new EstateException(List.of(new EstateException.Problem(file, line, col, field, describe(e))));
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new EstateException(List.of(new EstateException.Problem(file,
                    loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(), "",
                    "not valid YAML: " + yamlProblem(e))));
        }
        if (estate == null) {
            throw new EstateException(List.of(new EstateException.Problem(file, 1, 1, "", "the " + what
                    + " file is empty")));
        }
        List<EstateValidator.Violation> violations = validate.apply(estate);
        if (!violations.isEmpty()) {
            List<EstateException.Problem> problems = new ArrayList<>();
            for (var v : violations) {
                var l = locations.find(v.pointer());
                problems.add(new EstateException.Problem(file, l.line(), l.column(), fieldOfPointer(v.pointer()), v.message()));
            }
            throw new EstateException(problems);
        }
        return estate;
    }

    /** The parser's complaint on one line, without the excerpt of the file that SnakeYAML appends. */
    private static String yamlProblem(JsonProcessingException e) {
        String message;
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblem() != null) {
            message = (m.getContext() == null ? "" : m.getContext() + ": ") + m.getProblem();
        } else {
            message = String.valueOf(e.getOriginalMessage());
        }
        return message.strip().replaceAll("\\s+", " ");
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "unknown field '" + u.getPropertyName() + "'" + (known.isEmpty() ? "" : " (known fields: " + known + ")");
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            return "'" + f.getValue() + "' is not one of " + Arrays.toString(f.getTargetType().getEnumConstants());
        }
        if (e instanceof InvalidFormatException f) {
            return "'" + f.getValue() + "' is not a valid " + simpleType(f.getTargetType());
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m && m.getTargetType() != null) {
            return "expected " + simpleType(m.getTargetType()) + " here";
        }
        return e.getOriginalMessage();
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "a mapping";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isRecord()) {
            return "a mapping (" + type.getSimpleName() + ")";
        }
        return type.getSimpleName();
    }

    private static String fieldOf(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (var r : path) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            }
        }
        return sb.toString();
    }

    private static String pointerOf(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (var r : path) {
            sb.append('/').append(r.getIndex() >= 0 ? String.valueOf(r.getIndex()) : r.getFieldName());
        }
        return sb.toString();
    }

    /** {@code /apis/0/regions/1/id} as {@code apis[0].regions[1].id}. */
    static String fieldOfPointer(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(part).append(']');
            } else {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        return sb.toString();
    }
}
