package io.vpcanary.estate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.impl.DefinitionKey;
import com.github.victools.jsonschema.generator.naming.DefaultSchemaDefinitionNamingStrategy;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.MemberScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import io.vpcanary.policy.ConditionOperator;
import io.vpcanary.policy.PolicyParser;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The JSON Schema (draft 2020-12) of the estate file, generated from the model records so that the schema and the
 * loader cannot disagree, and the field rules the schema shares with {@link EstateValidator}.
 *
 * <p>The schema says what an editor can check while typing: field names (unknown fields are errors, as in
 * {@link EstateLoader}), types, enum values, required fields, id formats and numeric ranges. Rules that relate one
 * part of the file to another (references, duplicates, "PRIVATE APIs need a resource policy") are checked only by
 * the loader. Every estate the loader accepts is valid against the schema; the converse does not hold.
 *
 * <p>{@link #generate()} is deterministic: the same model gives byte-for-byte the same text, which is committed as
 * {@code docs/estate.schema.json} and printed by {@code vpcanary schema}.
 */
public final class EstateSchema {

    private static final String RESOURCE_POLICY = "ResourcePolicy";
    private static final String POLICY_STATEMENT = "PolicyStatement";

    /** The schema's {@code $id}. */
    public static final String ID = "urn:vpcanary:estate";

    /** The format a string field (or each string of a list field) must have when present. */
    record Format(Pattern pattern, String what) {

        /** The pattern as a JSON Schema {@code pattern}, which is unanchored: anchored to match the whole value. */
        String anchored() {
            return "^(?:" + pattern.pattern() + ")$";
        }
    }

    /** The inclusive range of a numeric field when present; a null bound is open. */
    record Range(BigDecimal min, BigDecimal max, String message) {

        static Range of(Number min, Number max, String message) {
            return new Range(min == null ? null : new BigDecimal(min.toString()),
                    max == null ? null : new BigDecimal(max.toString()), message);
        }

        boolean contains(Number n) {
            BigDecimal v = new BigDecimal(n.toString());
            return (min == null || v.compareTo(min) >= 0) && (max == null || v.compareTo(max) <= 0);
        }
    }

    /**
     * Required fields of each record, by JSON property name: the one list both the schema ({@code required}) and the
     * validator use. A required string must not be blank; a required list must have at least one entry. Fields
     * required only in some cases (the resource policy of a PRIVATE API, say) are checked by the validator alone.
     */
    static final Map<Class<? extends Record>, List<String>> REQUIRED = Map.ofEntries(
            Map.entry(Estate.class, List.of("account")),
            Map.entry(Vpc.class, List.of("id", "name", "region")),
            Map.entry(VpcEndpoint.class, List.of("id", "vpc", "dnsSuffix", "zones")),
            Map.entry(Api.class, List.of("name", "type", "endpointType", "stage", "regions")),
            Map.entry(ApiRegion.class, List.of("region", "id")),
            Map.entry(CustomDomain.class, List.of("domain")),
            Map.entry(Check.class, List.of("name")),
            Map.entry(RoutingDomain.class, List.of("domain", "policy", "records")),
            Map.entry(RoutingRecord.class, List.of("api", "region")),
            Map.entry(LabRegion.class, List.of("region", "addressBlock")));

    private static final String A_NAME = "a name of letters, digits, '.', '_' or '-'";
    private static final String A_REGION = "an AWS region name";
    private static final String A_DOMAIN = "a lowercase fully qualified domain name";
    private static final String ONE_MINUTE_PERIODS = "from 1 to 1440 one-minute periods (CloudWatch evaluates a day at most)";
    private static final String A_SECRET_REF = "a secret reference: " + SecretRef.GRAMMAR;

    /** Formats of string fields, keyed by {@link #key(Class, String)}. */
    static final Map<String, Format> FORMATS = Map.ofEntries(
            format(Estate.class, "account", EstateValidator.ACCOUNT, "a 12-digit AWS account id"),
            format(Vpc.class, "id", EstateValidator.VPC_ID, "a VPC id (vpc- and 8 to 17 hex digits)"),
            format(Vpc.class, "name", EstateValidator.NAME, A_NAME),
            format(Vpc.class, "region", EstateValidator.REGION, A_REGION),
            format(VpcEndpoint.class, "id", EstateValidator.VPCE_ID, "a VPC endpoint id (vpce- and 8 to 17 hex digits)"),
            format(VpcEndpoint.class, "dnsSuffix", EstateValidator.DNS_SUFFIX, "8 lowercase letters or digits"),
            format(Api.class, "name", EstateValidator.NAME, A_NAME),
            format(Api.class, "stage", EstateValidator.STAGE, "a stage name (letters, digits, '_' or '-') or $default"),
            format(Api.class, "resources", EstateValidator.RESOURCE, "a path starting with '/', or $default"),
            format(ApiRegion.class, "region", EstateValidator.REGION, A_REGION),
            format(ApiRegion.class, "id", EstateValidator.API_ID, "an API id (10 lowercase letters or digits)"),
            format(CustomDomain.class, "domain", EstateValidator.HOSTNAME, A_DOMAIN),
            format(Check.class, "name", EstateValidator.NAME, A_NAME),
            format(Check.class, "method", EstateValidator.METHOD,
                    "an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)"),
            format(Check.class, "path", EstateValidator.PATH, "a path starting with '/'"),
            format(RoutingDomain.class, "domain", EstateValidator.HOSTNAME, A_DOMAIN),
            format(LabRegion.class, "region", EstateValidator.REGION, A_REGION),
            format(LabRegion.class, "addressBlock", EstateValidator.CIDR24,
                    "a /24 inside 127.0.0.0/8, such as 127.0.1.0/24"),
            format(Lab.class, "onPremisesResolver", EstateValidator.IPV4_LOOPBACK, "a loopback IPv4 address"),
            format(Auth.class, "clientSecretRef", SecretRef.PATTERN, A_SECRET_REF),
            format(Auth.class, "tokenRef", SecretRef.PATTERN, A_SECRET_REF));

    /** Ranges of numeric fields, keyed by {@link #key(Class, String)}. */
    static final Map<String, Range> RANGES = Map.ofEntries(
            Map.entry(key(LabPorts.class, "https"), Range.of(0, 65535, "a port is from 0 (ephemeral) to 65535")),
            Map.entry(key(LabPorts.class, "dns"), Range.of(0, 65535, "a port is from 0 (ephemeral) to 65535")),
            Map.entry(key(LabIntegration.class, "errorRate"), Range.of(0, 1, "an error rate is between 0 and 1")),
            Map.entry(key(Integration.class, "errorRate"), Range.of(0, 1, "an error rate is between 0 and 1")),
            Map.entry(key(Latency.class, "medianMs"), Range.of(0, null, "latency cannot be negative")),
            Map.entry(key(Latency.class, "p99Ms"), Range.of(0, 60_000, "latency from 0 to 60000 ms is simulated")),
            Map.entry(key(RoutingRecord.class, "weight"), Range.of(0, 255, "a weight is from 0 to 255")),
            Map.entry(key(RoutingDomain.class, "ttl"), Range.of(0, 2_147_483_647L, "a TTL is from 0 to 2147483647 seconds")),
            Map.entry(key(RoutingRecord.HealthCheck.class, "failureThreshold"),
                    Range.of(1, 10, "Route 53's failure threshold is from 1 to 10")),
            Map.entry(key(LabRoute53.class, "timeScale"), Range.of(1, LabRoute53.MAX_TIME_SCALE,
                    "the time scale is from 1 (real time) to " + LabRoute53.MAX_TIME_SCALE)),
            Map.entry(key(Expectation.class, "status"), Range.of(100, 599, "an HTTP status is between 100 and 599")),
            Map.entry(key(Expectation.class, "latencyBudgetMs"),
                    Range.of(1, null, "a latency budget is a positive number of milliseconds")),
            Map.entry(key(Alarms.class, "successRatio"), Range.of(0, 1, "a success ratio is between 0 and 1")),
            Map.entry(key(Alarms.class, "failoverSuccessRatio"), Range.of(0, 1, "a success ratio is between 0 and 1")),
            Map.entry(key(Alarms.class, "p99Ms"), Range.of(1, null, "a latency threshold is a positive number of milliseconds")),
            Map.entry(key(Alarms.class, "periods"), Range.of(1, 1440, ONE_MINUTE_PERIODS)),
            Map.entry(key(Alarms.class, "datapointsToAlarm"), Range.of(1, 1440, ONE_MINUTE_PERIODS)),
            Map.entry(key(Alarms.class, "failoverPeriods"), Range.of(1, 1440, ONE_MINUTE_PERIODS)));

    private EstateSchema() {
    }

    static String key(Class<?> record, String field) {
        return record.getSimpleName() + "." + field;
    }

    private static Map.Entry<String, Format> format(Class<?> record, String field, Pattern p, String what) {
        return Map.entry(key(record, field), new Format(p, what));
    }

    /** Whether {@code field} (a JSON property name) of the model record {@code record} is required. */
    public static boolean isRequired(Class<?> record, String field) {
        List<String> fields = REQUIRED.get(record);
        return fields != null && fields.contains(field);
    }

    /** The schema as a JSON tree. */
    public static ObjectNode tree() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE))
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES,
                        Option.DEFINITIONS_FOR_ALL_OBJECTS);
        config.forTypesInGeneral()
                .withPropertySorter(EstateSchema::byDeclaration)
                .withDefinitionNamingStrategy(new DefaultSchemaDefinitionNamingStrategy() {
                    @Override
                    public String getDefinitionNameForKey(DefinitionKey key, SchemaGenerationContext context) {
                        return key.getType().getErasedType() == JsonNode.class ? RESOURCE_POLICY
                                : super.getDefinitionNameForKey(key, context);
                    }
                })
                .withCustomDefinitionProvider((type, context) -> {
                    if (type.getErasedType() == JsonNode.class) {
                        return new CustomDefinition(resourcePolicy(), CustomDefinition.DefinitionType.STANDARD,
                                CustomDefinition.AttributeInclusion.YES);
                    }
                    if (Map.class.isAssignableFrom(type.getErasedType()) && type.typeParametersFor(Map.class).stream()
                            .allMatch(t -> t.getErasedType() == String.class)) {
                        // Map<String, String> (check headers): a mapping of strings, inline.
                        ObjectNode map = JsonNodeFactory.instance.objectNode();
                        map.put("type", "object");
                        map.putObject("additionalProperties").put("type", "string");
                        return new CustomDefinition(map, CustomDefinition.DefinitionType.INLINE,
                                CustomDefinition.AttributeInclusion.YES);
                    }
                    return null;
                });
        config.forFields()
                .withRequiredCheck(f -> isRequired(f.getDeclaringType().getErasedType(), f.getDeclaredName()))
                .withStringPatternResolver(f -> {
                    Format fmt = FORMATS.get(fieldKey(f));
                    return fmt == null || !isString(f) ? null : fmt.anchored();
                })
                .withStringMinLengthResolver(f -> required(f) && !f.isFakeContainerItemScope() && isString(f)
                        && !FORMATS.containsKey(fieldKey(f)) ? 1 : null)
                .withArrayMinItemsResolver(f -> required(f) && !f.isFakeContainerItemScope()
                        && List.class.isAssignableFrom(f.getType().getErasedType()) ? 1 : null)
                .withNumberInclusiveMinimumResolver(f -> {
                    Range r = RANGES.get(fieldKey(f));
                    return r == null ? null : r.min();
                })
                .withNumberInclusiveMaximumResolver(f -> {
                    Range r = RANGES.get(fieldKey(f));
                    return r == null ? null : r.max();
                })
                .withInstanceAttributeOverride((node, f, context) -> {
                    if (f.getDeclaringType().getErasedType() == Check.class && f.getDeclaredName().equals("headers")
                            && !f.isFakeContainerItemScope()) {
                        node.putObject("propertyNames").put("pattern",
                                new Format(EstateValidator.HEADER_NAME, "").anchored());
                    }
                });
        ObjectNode generated = new SchemaGenerator(config.build()).generateSchema(Estate.class);

        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("$schema", generated.get("$schema"));
        root.put("$id", ID);
        root.put("title", "vpcanary estate");
        root.put("description", "The estate file of vpcanary: the APIs on Amazon API Gateway to probe, the network "
                + "their clients call from, routing domains and the simulated lab topology. Generated from the model "
                + "(io.vpcanary.estate); see docs/estate.md. The loader also checks references between fields.");
        generated.fieldNames().forEachRemaining(name -> {
            if (!name.equals("$schema") && !name.equals("$defs")) {
                root.set(name, generated.get(name));
            }
        });
        Map<String, JsonNode> defs = toMap(generated.get("$defs"));
        defs.put(POLICY_STATEMENT, policyStatement());
        root.putObject("$defs").setAll(defs);
        return root;
    }

    /** The schema as pretty-printed JSON with a trailing newline; the same model always gives the same text. */
    public static String generate() {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""));
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        try {
            return new ObjectMapper().writer(printer).writeValueAsString(tree()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the estate schema", e);
        }
    }

    /** The fields of {@code object} sorted by name. */
    private static Map<String, JsonNode> toMap(JsonNode object) {
        Map<String, JsonNode> out = new TreeMap<>();
        if (object != null) {
            object.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static String fieldKey(FieldScope f) {
        return key(f.getDeclaringType().getErasedType(), f.getDeclaredName());
    }

    private static boolean required(FieldScope f) {
        return isRequired(f.getDeclaringType().getErasedType(), f.getDeclaredName());
    }

    private static boolean isString(FieldScope f) {
        return f.getType().getErasedType() == String.class;
    }

    /** Properties in the order the record declares them, which is the order docs/estate.md explains them. */
    private static int byDeclaration(MemberScope<?, ?> a, MemberScope<?, ?> b) {
        return Integer.compare(componentIndex(a), componentIndex(b));
    }

    private static int componentIndex(MemberScope<?, ?> m) {
        Class<?> type = m.getDeclaringType().getErasedType();
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (components[i].getName().equals(m.getDeclaredName())) {
                    return i;
                }
            }
        }
        return Integer.MAX_VALUE;
    }

    /**
     * The resource policy: an IAM policy document with the top-level fields {@link PolicyParser#POLICY_FIELDS}.
     * The loader checks the values of its statements in more detail, with {@link PolicyParser}.
     */
    private static ObjectNode resourcePolicy() {
        ObjectNode policy = JsonNodeFactory.instance.objectNode();
        policy.put("type", "object");
        ObjectNode props = policy.putObject("properties");
        stringProp(props, "Version", "Policy language version, normally \"2012-10-17\".");
        stringProp(props, "Id", "Policy id.");
        ObjectNode statement = props.putObject("Statement");
        statement.put("description", "A statement or a list of statements.");
        ArrayNode anyOf = statement.putArray("anyOf");
        anyOf.addObject().put("$ref", "#/$defs/" + POLICY_STATEMENT);
        ObjectNode list = anyOf.addObject();
        list.put("type", "array");
        list.putObject("items").put("$ref", "#/$defs/" + POLICY_STATEMENT);
        policy.putArray("required").add("Statement");
        policy.put("additionalProperties", false);
        return policy;
    }

    /** One statement of a resource policy, with the fields {@link PolicyParser#STATEMENT_FIELDS}. */
    private static ObjectNode policyStatement() {
        ObjectNode statement = JsonNodeFactory.instance.objectNode();
        statement.put("type", "object");
        statement.put("description", "A policy statement. Effect, Principal (or NotPrincipal), Action (or NotAction) "
                + "and Resource (or NotResource) are required.");
        ObjectNode props = statement.putObject("properties");
        stringProp(props, "Sid", "Statement id.");
        ObjectNode effect = props.putObject("Effect");
        effect.put("description", "Allow or Deny.");
        effect.putArray("enum").add("Allow").add("Deny");
        props.putObject("Principal").put("description", "\"*\" or {AWS: \"*\" | ARN | [ARN, ...]}.");
        props.putObject("NotPrincipal").put("description", "Like Principal, inverted.");
        stringsProp(props, "Action", "Such as execute-api:Invoke.");
        stringsProp(props, "NotAction", "Like Action, inverted.");
        stringsProp(props, "Resource", "Such as execute-api:/* or an execute-api ARN.");
        stringsProp(props, "NotResource", "Like Resource, inverted.");
        ObjectNode condition = props.putObject("Condition");
        condition.put("type", "object");
        condition.put("description", "Operator to {condition key: value or list of values}, such as "
                + "StringNotEquals: {aws:SourceVpce: [vpce-...]}. Operators: "
                + ConditionOperator.names()
                + ", each optionally with IfExists and a ForAnyValue: or ForAllValues: prefix.");
        statement.putArray("required").add("Effect");
        statement.put("additionalProperties", false);
        return statement;
    }

    private static void stringProp(ObjectNode props, String name, String description) {
        ObjectNode p = props.putObject(name);
        p.put("type", "string");
        p.put("description", description);
    }

    private static void anyProp(ObjectNode props, String name, String description) {
        props.putObject(name).put("description", description);
    }

    private static void stringsProp(ObjectNode props, String name, String description) {
        ObjectNode p = props.putObject(name);
        p.put("description", description + " A string or a list of strings.");
        ArrayNode anyOf = p.putArray("anyOf");
        anyOf.addObject().put("type", "string");
        ObjectNode list = anyOf.addObject();
        list.put("type", "array");
        list.putObject("items").put("type", "string");
        list.put("minItems", 1);
    }

    /** Every record type of the estate model, from {@link Estate} down, in a stable order. */
    static List<Class<? extends Record>> modelRecords() {
        List<Class<? extends Record>> out = new ArrayList<>();
        collect(Estate.class, out);
        out.sort(Comparator.comparing(Class::getSimpleName));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Class<?> type, List<Class<? extends Record>> out) {
        if (!type.isRecord() || out.contains(type)) {
            return;
        }
        out.add((Class<? extends Record>) type);
        for (RecordComponent c : type.getRecordComponents()) {
            collect(c.getType(), out);
            if (c.getGenericType() instanceof java.lang.reflect.ParameterizedType p) {
                for (var arg : p.getActualTypeArguments()) {
                    if (arg instanceof Class<?> cls) {
                        collect(cls, out);
                    }
                }
            }
        }
    }
}
