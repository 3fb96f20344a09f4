package io.vpcanary.estate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vpcanary.policy.PolicyParser;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.vpcanary.testing.Repository;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published schema is the generated one, it accepts what the loader accepts and rejects what the loader rejects
 * field by field, and it names every field of the model.
 */
class EstateSchemaTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path FILE = Path.of("estate.yaml");
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(EstateSchema.tree());

    private static JsonNode demoTree() throws IOException {
        return YAML.readTree(EstateLoader.demoText());
    }

    private static List<Error> schemaErrors(JsonNode estate) {
        return SCHEMA.validate(estate);
    }

    @Test
    void committedSchemaIsTheGeneratedOne() throws IOException {
        Path committed = Repository.root().resolve("docs/estate.schema.json");
        assertThat(committed).exists();
        assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                .as("docs/estate.schema.json is not what the model generates; regenerate it with "
                        + "`./mvnw -B -q -pl cli -am package -DskipTests && bin/vpcanary schema > docs/estate.schema.json`")
                .isEqualTo(EstateSchema.generate());
    }

    @Test
    void generationIsDeterministicPrettyJsonWithTrailingNewline() throws IOException {
        String a = EstateSchema.generate();
        assertThat(EstateSchema.generate()).isEqualTo(a);
        assertThat(a).endsWith("}\n").doesNotEndWith("\n\n").contains("\n  \"$id\": \"" + EstateSchema.ID + "\",\n");
        JsonNode tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(a);
        assertThat(tree.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(tree.get("title").asText()).isNotBlank();
        assertThat(tree.get("description").asText()).isNotBlank();
        List<String> defs = new ArrayList<>();
        tree.get("$defs").fieldNames().forEachRemaining(defs::add);
        assertThat(defs).isSorted();
    }

    @Test
    void demoEstateIsValidAgainstTheSchema() throws IOException {
        assertThat(schemaErrors(demoTree())).isEmpty();
    }

    @Test
    void unknownFieldsFailSchemaValidationAtEveryLevel() throws IOException {
        for (String pointer : List.of("", "/apis/0", "/apis/0/checks/1/expect", "/lab/ports", "/network/vpcs/2",
                "/apis/0/resourcePolicy", "/apis/0/resourcePolicy/Statement/0")) {
            JsonNode tree = demoTree();
            ((ObjectNode) tree.at(pointer)).put("stagee", "beta");
            assertThat(schemaErrors(tree)).as("unknown field at '%s'", pointer)
                    .anySatisfy(e -> {
                        assertThat(e.getKeyword()).isEqualTo("additionalProperties");
                        assertThat(e.getInstanceLocation().toString()).isEqualTo(pointer);
                        assertThat(e.getProperty()).isEqualTo("stagee");
                    });
            assertThatThrownBy(() -> EstateLoader.parse(FILE, YAML.writeValueAsString(tree)))
                    .isInstanceOf(EstateException.class);
        }
    }

    /**
     * Edits of the demo estate that the loader and the schema both reject: the schema keyword expected and the field
     * the loader names.
     */
    static Stream<Arguments> rejectedByBoth() {
        return Stream.of(
                edit("bad enum", "/apis/1", t -> t.put("type", "SOAP"), "enum", "apis[1].type"),
                edit("wrong type", "/lab/ports", t -> t.putArray("https").add(8443), "type", "lab.ports.https"),
                edit("string for a mapping", "/apis/0", t -> t.put("integration", "NLB"), "type",
                        "apis[0].integration"),
                edit("missing required field", "/apis/0", t -> t.remove("stage"), "required", "apis[0].stage"),
                edit("empty required list", "/network/vpcEndpoints/0", t -> t.putArray("zones"), "minItems",
                        "network.vpcEndpoints[0].zones"),
                edit("bad account id", "", t -> t.put("account", "12"), "pattern", "account"),
                edit("bad API id", "/apis/0/regions/0", t -> t.put("id", "ORDERS"), "pattern", "apis[0].regions[0].id"),
                edit("bad region", "/network/vpcs/2", t -> t.put("region", "west"), "pattern",
                        "network.vpcs[2].region"),
                edit("bad method", "/apis/0/checks/0", t -> t.put("method", "FETCH"), "pattern",
                        "apis[0].checks[0].method"),
                edit("path without slash", "/apis/0/checks/0", t -> t.put("path", "orders"), "pattern",
                        "apis[0].checks[0].path"),
                edit("resource without slash", "/apis/0", t -> t.putArray("resources").add("orders"), "pattern",
                        "apis[0].resources[0]"),
                edit("bad secret reference scheme", "/apis/3/auth", t -> t.put("tokenRef", "vault:payments"), "pattern",
                        "apis[3].auth.tokenRef"),
                edit("secret reference without a name", "/apis/3/auth",
                        t -> {
                            t.remove("clientSecretEnv");
                            t.put("clientSecretRef", "secretsmanager:#key");
                        }, "pattern",
                        "apis[3].auth.clientSecretRef"),
                edit("bad header name", "/apis/0/checks/0", t -> t.putObject("headers").put("bad header", "x"),
                        "propertyNames", "apis[0].checks[0].headers.bad header"),
                edit("port out of range", "/lab/ports", t -> t.put("dns", 70000), "maximum", "lab.ports.dns"),
                edit("negative latency", "/lab/integration/latency", t -> t.put("medianMs", -1), "minimum",
                        "lab.integration.latency.medianMs"),
                edit("error rate above 1", "/lab/integration", t -> t.put("errorRate", 1.5), "maximum",
                        "lab.integration.errorRate"),
                edit("status out of range", "/apis/0/checks/0/expect", t -> t.put("status", 700), "maximum",
                        "apis[0].checks[0].expect.status"),
                edit("zero latency budget", "/apis/0/checks/0/expect", t -> t.put("latencyBudgetMs", 0), "minimum",
                        "apis[0].checks[0].expect.latencyBudgetMs"),
                edit("bad error class", "/apis/0/checks/1/expect", t -> t.put("errorClass", "OOPS"), "enum",
                        "apis[0].checks[1].expect.errorClass"),
                edit("unknown security policy", "/apis/0", t -> t.put("securityPolicy", "TLS_9_9"), "enum",
                        "apis[0].securityPolicy"),
                edit("unknown domain security policy", "/apis/0/regions/0/customDomains/0",
                        t -> t.put("securityPolicy", "SecurityPolicy_TLS13_1_3_2099_01"), "enum",
                        "apis[0].regions[0].customDomains[0].securityPolicy"),
                edit("unknown TLS version", "/apis/0/checks/0/expect", t -> t.put("tlsVersion", "TLSv1.4"), "enum",
                        "apis[0].checks[0].expect.tlsVersion"),
                edit("bad access path", "/apis/0/checks/1", t -> t.putArray("accessPaths").add("TELEPATHY"), "enum",
                        "apis[0].checks[1].accessPaths[0]"),
                edit("unknown policy field", "/apis/0/resourcePolicy", t -> t.put("Versions", "x"),
                        "additionalProperties", "apis[0].resourcePolicy.Versions"),
                edit("bad policy effect", "/apis/0/resourcePolicy/Statement/0", t -> t.put("Effect", "Maybe"), "enum",
                        "apis[0].resourcePolicy.Statement[0].Effect"),
                edit("address block outside loopback", "/lab/regions/0", t -> t.put("addressBlock", "10.0.1.0/24"),
                        "pattern", "lab.regions[0].addressBlock"),
                edit("success ratio above 1", "/apis/0", t -> t.putObject("alarms").put("successRatio", 1.5),
                        "maximum", "apis[0].alarms.successRatio"),
                edit("no periods", "/apis/1", t -> t.putObject("alarms").put("periods", 0),
                        "minimum", "apis[1].alarms.periods"));
    }

    private static Arguments edit(String name, String pointer, Consumer<ObjectNode> change, String keyword,
            String loaderField) {
        return Arguments.of(name, pointer, change, keyword, loaderField);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedByBoth")
    void loaderAndSchemaRejectTheSameFieldErrors(String name, String pointer, Consumer<ObjectNode> change,
            String keyword, String loaderField) throws IOException {
        JsonNode tree = demoTree();
        change.accept((ObjectNode) tree.at(pointer));
        assertThat(schemaErrors(tree)).as(name).extracting(Error::getKeyword).contains(keyword);
        String yaml = YAML.writeValueAsString(tree);
        assertThatThrownBy(() -> EstateLoader.parse(FILE, yaml)).as(name)
                .isInstanceOf(EstateException.class)
                .satisfies(t -> assertThat(((EstateException) t).problems())
                        .allSatisfy(p -> assertThat(p.line()).isPositive())
                        .extracting(EstateException.Problem::field).contains(loaderField));
    }

    @Test
    void referencesAreCheckedByTheLoaderAlone() throws IOException {
        JsonNode tree = demoTree();
        ((ArrayNode) tree.at("/apis/0/regions/1/vpcEndpoints")).set(0, "vpce-0fffffffffffffff9");
        assertThat(schemaErrors(tree)).isEmpty();
        assertThatThrownBy(() -> EstateLoader.parse(FILE, YAML.writeValueAsString(tree)))
                .isInstanceOf(EstateException.class)
                .hasMessageContaining("apis[0].regions[1].vpcEndpoints[0]: no VPC endpoint");
    }

    /** An instance of each record type with required fields, in the demo estate (plus a routing domain). */
    private static final Map<Class<? extends Record>, String> SAMPLES = Map.ofEntries(
            Map.entry(Estate.class, ""),
            Map.entry(Vpc.class, "/network/vpcs/0"),
            Map.entry(VpcEndpoint.class, "/network/vpcEndpoints/0"),
            Map.entry(Api.class, "/apis/1"),
            Map.entry(ApiRegion.class, "/apis/1/regions/0"),
            Map.entry(CustomDomain.class, "/apis/0/regions/0/customDomains/0"),
            Map.entry(AccessAssociation.class, "/apis/0/regions/0/customDomains/0/accessAssociations/0"),
            Map.entry(RoutingRule.class, "/apis/0/regions/0/customDomains/0/routingRules/0"),
            Map.entry(RoutingRule.HeaderMatch.class, "/apis/0/regions/0/customDomains/0/routingRules/0/headers/0"),
            Map.entry(Check.class, "/apis/0/checks/0"),
            Map.entry(RoutingDomain.class, "/routingDomains/0"),
            Map.entry(RoutingRecord.class, "/routingDomains/0/records/0"),
            Map.entry(LabRegion.class, "/lab/regions/0"));

    private static JsonNode demoWithRoutingDomain() throws IOException {
        ObjectNode tree = (ObjectNode) demoTree();
        tree.set("routingDomains", YAML.readTree("""
                - domain: orders.internal.example.com
                  policy: FAILOVER
                  records:
                    - {api: orders, region: us-east-1, role: PRIMARY}
                    - {api: orders, region: us-west-2, role: SECONDARY}
                """));
        ((ObjectNode) tree.at("/apis/0/regions/0/customDomains/0")).set("accessAssociations",
                YAML.readTree("[{vpcEndpoint: vpce-0e2b00000000000b2}]"));
        ((ObjectNode) tree.at("/apis/0/regions/0/customDomains/0")).set("routingRules",
                YAML.readTree("[{priority: 5, headers: [{header: x-version, valueGlob: beta}], api: orders}]"));
        return tree;
    }

    @Test
    void everyRequiredFieldIsRequiredByBothTheLoaderAndTheSchema() throws Exception {
        assertThat(SAMPLES.keySet()).isEqualTo(EstateSchema.REQUIRED.keySet());
        JsonNode base = demoWithRoutingDomain();
        assertThat(schemaErrors(base)).isEmpty();
        EstateLoader.parse(FILE, YAML.writeValueAsString(base));
        for (var entry : EstateSchema.REQUIRED.entrySet()) {
            String at = SAMPLES.get(entry.getKey());
            for (String field : entry.getValue()) {
                JsonNode tree = base.deepCopy();
                ((ObjectNode) tree.at(at)).remove(field);
                String what = entry.getKey().getSimpleName() + "." + field;
                assertThat(schemaErrors(tree)).as(what).anySatisfy(e -> {
                    assertThat(e.getKeyword()).isEqualTo("required");
                    assertThat(e.getProperty()).isEqualTo(field);
                });
                String expectedField = EstateLoader.fieldOfPointer(at + "/" + field);
                assertThatThrownBy(() -> EstateLoader.parse(FILE, YAML.writeValueAsString(tree))).as(what)
                        .isInstanceOf(EstateException.class)
                        .satisfies(t -> assertThat(((EstateException) t).problems()).anySatisfy(p -> {
                            assertThat(p.field()).isEqualTo(expectedField);
                            assertThat(p.message()).containsAnyOf("required field is missing", "at least one");
                        }));
            }
        }
    }

    private static JsonNode propertiesOf(JsonNode schema, Class<?> record) {
        JsonNode def = record == Estate.class ? schema : schema.at("/$defs/" + record.getSimpleName());
        assertThat(def.isMissingNode()).as("definition of %s", record.getSimpleName()).isFalse();
        return def;
    }

    @Test
    void everyComponentOfEveryModelRecordIsInTheSchemaInOrder() {
        JsonNode schema = EstateSchema.tree();
        List<Class<? extends Record>> records = EstateSchema.modelRecords();
        assertThat(records).contains(Estate.class, Api.class, Check.class, Expectation.class, Latency.class,
                LabPorts.class, RoutingRecord.class, IntegrationRoute.class, Alarms.class, AccessAssociation.class,
                RoutingRule.class, LabStream.class, RoutingRecord.HealthCheck.class, LabRoute53.class,
                WebSocketRoute.class, LabWebSocket.class, WebSocketCheck.class, Load.class).hasSize(30);
        for (Class<? extends Record> record : records) {
            JsonNode def = propertiesOf(schema, record);
            List<String> properties = new ArrayList<>();
            def.get("properties").fieldNames().forEachRemaining(properties::add);
            assertThat(properties).as(record.getSimpleName())
                    .containsExactlyElementsOf(Arrays.stream(record.getRecordComponents())
                            .map(RecordComponent::getName).toList());
            assertThat(def.get("additionalProperties").asBoolean(true)).as(record.getSimpleName()).isFalse();
            for (String p : properties) {
                assertThat(def.at("/properties/" + p + "/description").asText())
                        .as("description of %s.%s", record.getSimpleName(), p).isNotBlank();
            }
            List<String> required = new ArrayList<>();
            if (def.has("required")) {
                def.get("required").forEach(n -> required.add(n.asText()));
            }
            assertThat(required).as("required fields of %s", record.getSimpleName())
                    .isEqualTo(EstateSchema.REQUIRED.getOrDefault(record, List.of()));
        }
    }

    @Test
    void formatsAndRangesNameRealFieldsAndAreInTheSchema() {
        JsonNode schema = EstateSchema.tree();
        Set<String> keys = new java.util.HashSet<>(EstateSchema.FORMATS.keySet());
        keys.addAll(EstateSchema.RANGES.keySet());
        for (String key : keys) {
            String[] parts = key.split("\\.");
            Class<? extends Record> record = EstateSchema.modelRecords().stream()
                    .filter(r -> r.getSimpleName().equals(parts[0])).findFirst().orElseThrow();
            assertThat(Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)).as(key)
                    .contains(parts[1]);
            JsonNode property = propertiesOf(schema, record).at("/properties/" + parts[1]);
            if (EstateSchema.FORMATS.containsKey(key)) {
                JsonNode node = property.has("items") ? property.get("items") : property;
                assertThat(node.get("pattern").asText()).as(key).isEqualTo(EstateSchema.FORMATS.get(key).anchored());
            } else {
                var range = EstateSchema.RANGES.get(key);
                if (range.min() != null) {
                    assertThat(property.get("minimum").decimalValue()).as(key).isEqualByComparingTo(range.min());
                }
                if (range.max() != null) {
                    assertThat(property.get("maximum").decimalValue()).as(key).isEqualByComparingTo(range.max());
                }
            }
        }
    }

    @Test
    void policyFieldsAreTheValidatorsOnes() {
        JsonNode schema = EstateSchema.tree();
        Set<String> policy = new java.util.HashSet<>();
        schema.at("/$defs/ResourcePolicy/properties").fieldNames().forEachRemaining(policy::add);
        assertThat(policy).isEqualTo(PolicyParser.POLICY_FIELDS);
        Set<String> statement = new java.util.HashSet<>();
        schema.at("/$defs/PolicyStatement/properties").fieldNames().forEachRemaining(statement::add);
        assertThat(statement).isEqualTo(PolicyParser.STATEMENT_FIELDS);
    }

    @Test
    void enumsListEveryConstant() {
        JsonNode schema = EstateSchema.tree();
        for (Class<? extends Enum<?>> e : List.<Class<? extends Enum<?>>>of(ApiType.class, EndpointType.class,
                AuthType.class, IntegrationType.class, RoutingPolicy.class, io.vpcanary.access.AccessPath.class,
                io.vpcanary.probe.ErrorClass.class)) {
            List<String> values = new ArrayList<>();
            schema.at("/$defs/" + e.getSimpleName() + "/enum").forEach(n -> values.add(n.asText()));
            assertThat(values).as(e.getSimpleName())
                    .containsExactlyElementsOf(Arrays.stream(e.getEnumConstants()).map(Enum::name).toList());
        }
    }

    @Test
    void docsExampleIsTheDemoEstatePlusAlarmsAndRoutingDomainsAndIsValid() throws Exception {
        String md = Files.readString(Repository.root().resolve("docs/estate.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```yaml\n(# yaml-language-server.*?)```", Pattern.DOTALL).matcher(md);
        assertThat(m.find()).as("docs/estate.md has the annotated example in a ```yaml block").isTrue();
        String example = m.group(1);
        Estate estate = EstateLoader.parse(Path.of("docs/estate.md"), example);
        assertThat(estate.routingDomains()).isNotEmpty();
        assertThat(estate.apis()).anySatisfy(a -> assertThat(a.alarms()).isNotEqualTo(Alarms.NONE));
        JsonNode tree = YAML.readTree(example);
        assertThat(schemaErrors(tree)).isEmpty();
        ((ObjectNode) tree).remove("routingDomains");
        tree.get("apis").forEach(api -> ((ObjectNode) api).remove("alarms"));
        JsonNode demo = demoTree();
        ((ObjectNode) demo).remove("routingDomains");
        assertThat(tree).as("the example in docs/estate.md, without alarms and routingDomains, is the demo estate "
                        + "without its routingDomains").isEqualTo(demo);
    }
}
