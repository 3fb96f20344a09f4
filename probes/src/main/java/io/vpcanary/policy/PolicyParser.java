package io.vpcanary.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one parser of resource policies: turns a policy document into {@link Statement}s, refusing anything the lab
 * cannot evaluate faithfully with a {@link PolicyException} naming the JSON pointer of the first problem. The
 * estate validator ({@code vpcanary validate}) and the lab both parse with it.
 */
public final class PolicyParser {

    /** Top-level fields of a policy document. */
    public static final Set<String> POLICY_FIELDS = Set.of("Version", "Id", "Statement");
    /** Fields of a policy statement. */
    public static final Set<String> STATEMENT_FIELDS = Set.of(
            "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final String SHORTHAND = "execute-api:/";
    private static final String IF_EXISTS = "IfExists";
    private static final String FOR_ANY = "ForAnyValue:";
    private static final String FOR_ALL = "ForAllValues:";

    /** What an API policy's {@code execute-api:/{rest}} expands to: this prefix and {@code /{rest}}. */
    private final String resourcePrefix;
    /** A private custom domain's policy: every {@code execute-api:/...} stands for this ARN; null otherwise. */
    private final String domainArn;

    private PolicyParser(String resourcePrefix, String domainArn) {
        this.resourcePrefix = resourcePrefix;
        this.domainArn = domainArn;
    }

    /**
     * The ARN the {@code execute-api:/} shorthand of an API's policy expands to:
     * {@code arn:aws:execute-api:{region}:{account}:{apiId}}.
     *
     * @throws IllegalArgumentException if a part is empty or contains {@code :} or {@code /}
     */
    public static String apiArn(String region, String account, String apiId) {
        requireField("region", region);
        requireField("account", account);
        requireField("apiId", apiId);
        return "arn:aws:execute-api:" + region + ":" + account + ":" + apiId;
    }

    private static void requireField(String name, String value) {
        if (value == null || value.isBlank() || value.contains(":") || value.contains("/")) {
            throw new IllegalArgumentException("cannot parse a resource policy: " + name + " '" + value
                    + "' must be non-empty without ':' or '/'");
        }
    }

    /**
     * Parses a policy document (as in the estate's {@code resourcePolicy}) for one API.
     *
     * @param policy the document
     * @param apiArn what the {@code execute-api:/} shorthand expands to, from {@link #apiArn}
     * @return the statements, in document order
     * @throws PolicyException at the first problem, naming its JSON pointer
     */
    public static List<Statement> parse(JsonNode policy, String apiArn) {
        return new PolicyParser(apiArn, null).document(policy);
    }

    /**
     * Parses a private custom domain's execute-api policy. The domain is one resource with no stages or methods
     * beneath it: its shorthand {@code execute-api:/*} stands for the domain's execute-api ARN itself, the ARN the
     * console shows once the policy is saved.
     *
     * @param policy    the document (as in the estate's {@code customDomains[].policy})
     * @param domainArn the domain's {@code arn:aws:execute-api:{region}:{account}:/domainnames/{domain}+{id}}
     */
    public static List<Statement> parseDomainPolicy(JsonNode policy, String domainArn) {
        return new PolicyParser(null, domainArn).document(policy);
    }

    /**
     * Parses a VPC endpoint policy: resources are {@code *} or ARNs ({@code execute-api:/} names no API here).
     */
    public static List<Statement> parseEndpointPolicy(JsonNode policy) {
        return new PolicyParser(null, null).document(policy);
    }

    private List<Statement> document(JsonNode policy) {
        if (policy == null || policy.isNull() || policy.isMissingNode()) {
            throw error("", "there is no policy document");
        }
        if (!policy.isObject()) {
            throw error("", "a policy is a mapping with Version and Statement, not " + kind(policy));
        }
        for (Iterator<String> it = policy.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!POLICY_FIELDS.contains(f)) {
                throw error("/" + f, "unknown policy field '" + f + "' (known: Id, Statement, Version)");
            }
        }
        JsonNode version = policy.get("Version");
        if (version != null && !(version.isTextual() && VERSIONS.contains(version.asText()))) {
            throw error("/Version", "Version must be \"2012-10-17\" or \"2008-10-17\", not " + shown(version));
        }
        JsonNode statements = policy.get("Statement");
        if (statements == null) {
            throw error("/Statement", "required field is missing");
        }
        List<Statement> out = new ArrayList<>();
        if (statements.isObject()) {
            out.add(statement("/Statement", 0, statements));
        } else if (statements.isArray()) {
            for (int i = 0; i < statements.size(); i++) {
                out.add(statement("/Statement/" + i, i, statements.get(i)));
            }
        } else {
            throw error("/Statement", "expected a statement or a list of statements, not " + kind(statements));
        }
        return out;
    }

    private Statement statement(String at, int index, JsonNode s) {
        if (!s.isObject()) {
            throw error(at, "a statement is a mapping, not " + kind(s));
        }
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!STATEMENT_FIELDS.contains(f)) {
                throw error(at + "/" + f, "unknown statement field '" + f + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(STATEMENT_FIELDS)) + ")");
            }
        }
        String sid = null;
        if (s.has("Sid")) {
            if (!s.get("Sid").isTextual()) {
                throw error(at + "/Sid", "Sid must be a string");
            }
            sid = s.get("Sid").asText();
        }
        JsonNode effect = s.get("Effect");
        if (effect == null) {
            throw error(at + "/Effect", "required field is missing (Allow or Deny)");
        }
        if (!effect.isTextual() || !(effect.asText().equals("Allow") || effect.asText().equals("Deny"))) {
            throw error(at + "/Effect", "Effect must be \"Allow\" or \"Deny\", not " + shown(effect));
        }
        String principalField = exactlyOne(at, s, "Principal", "NotPrincipal");
        String actionField = exactlyOne(at, s, "Action", "NotAction");
        String resourceField = exactlyOne(at, s, "Resource", "NotResource");
        List<String> principals = principals(at + "/" + principalField, s.get(principalField));
        List<String> actions = strings(at + "/" + actionField, s.get(actionField));
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i).isEmpty()) {
                throw error(at + "/" + actionField, "an action cannot be empty (use execute-api:Invoke)");
            }
        }
        List<String> resources = new ArrayList<>();
        for (String r : strings(at + "/" + resourceField, s.get(resourceField))) {
            resources.add(resource(at + "/" + resourceField, r));
        }
        List<Condition> conditions = s.has("Condition") ? conditions(at + "/Condition", s.get("Condition")) : List.of();
        return new Statement(index, sid, effect.asText().equals("Deny"), principals, principalField.equals("NotPrincipal"),
                actions, actionField.equals("NotAction"), resources, resourceField.equals("NotResource"), conditions);
    }

    private static String exactlyOne(String at, JsonNode s, String field, String notField) {
        if (s.has(field) && s.has(notField)) {
            throw error(at, "a statement has " + field + " or " + notField + ", not both");
        }
        if (!s.has(field) && !s.has(notField)) {
            throw error(at + "/" + field, "required field is missing (" + field + " or " + notField + ")");
        }
        return s.has(field) ? field : notField;
    }

    private static List<String> principals(String at, JsonNode p) {
        if (p.isTextual()) {
            if (!p.asText().equals("*")) {
                throw error(at, "a principal is \"*\" or {AWS: \"*\" | ARN | account id | [...]}, not " + shown(p));
            }
            return List.of("*");
        }
        if (!p.isObject()) {
            throw error(at, "a principal is \"*\" or {AWS: \"*\" | ARN | account id | [...]}, not " + kind(p));
        }
        for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
            String type = it.next();
            if (!type.equals("AWS")) {
                throw error(at + "/" + type, "only AWS principals are supported by the lab, not '" + type + "'");
            }
        }
        if (!p.has("AWS")) {
            throw error(at + "/AWS", "required field is missing");
        }
        List<String> entries = strings(at + "/AWS", p.get("AWS"));
        for (String e : entries) {
            if (e.equals("*") || Arns.isAccountId(e)) {
                continue;
            }
            if (Arns.split(e) == null) {
                throw error(at + "/AWS", "principal '" + e + "' is not \"*\", a 12-digit account id or an ARN");
            }
            if (e.indexOf('*') >= 0 || e.indexOf('?') >= 0) {
                throw error(at + "/AWS", "principal '" + e + "' has a wildcard; IAM allows only \"*\" on its own"
                        + " (use a condition on aws:PrincipalArn with StringLike instead)");
            }
        }
        return entries;
    }

    private String resource(String at, String r) {
        if (r.contains("${")) {
            throw error(at, "resource '" + r + "' uses a policy variable; policy variables are not supported by the lab");
        }
        if (r.equals("*") || r.startsWith("arn:")) {
            if (r.startsWith("arn:") && Arns.split(r) == null && !r.contains("*")) {
                throw error(at, "resource '" + r + "' is not an ARN (arn:partition:service:region:account:resource)");
            }
            return r;
        }
        if (r.startsWith(SHORTHAND) && domainArn != null) {
            return domainArn;
        }
        if (r.startsWith(SHORTHAND) && resourcePrefix != null) {
            return resourcePrefix + r.substring(SHORTHAND.length() - 1);
        }
        if (r.startsWith(SHORTHAND)) {
            throw error(at, "resource '" + r + "': an endpoint policy names APIs by ARN (arn:aws:execute-api:...) or *");
        }
        throw error(at, "resource '" + r + "' must be \"*\", an ARN, or " + SHORTHAND + "{stage}/{METHOD}/{path}");
    }

    private static List<Condition> conditions(String at, JsonNode cond) {
        if (!cond.isObject()) {
            throw error(at, "a Condition is a mapping of operator to {key: value(s)}, not " + kind(cond));
        }
        List<Condition> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = cond.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> op = it.next();
            String opAt = at + "/" + op.getKey();
            String name = op.getKey();
            Condition.Qualifier qualifier = Condition.Qualifier.NONE;
            if (name.startsWith(FOR_ANY)) {
                qualifier = Condition.Qualifier.FOR_ANY_VALUE;
                name = name.substring(FOR_ANY.length());
            } else if (name.startsWith(FOR_ALL)) {
                qualifier = Condition.Qualifier.FOR_ALL_VALUES;
                name = name.substring(FOR_ALL.length());
            }
            boolean ifExists = name.endsWith(IF_EXISTS);
            if (ifExists) {
                name = name.substring(0, name.length() - IF_EXISTS.length());
            }
            ConditionOperator operator = ConditionOperator.named(name);
            if (operator == null) {
                throw error(opAt, "unsupported condition operator '" + op.getKey() + "' (supported: "
                        + ConditionOperator.names() + ", each also with IfExists and ForAnyValue:/ForAllValues:)");
            }
            if (!op.getValue().isObject() || op.getValue().isEmpty()) {
                throw error(opAt, "a condition operator maps one or more keys to a value or a list of values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> k = keys.next();
                String keyAt = opAt + "/" + k.getKey();
                if (k.getKey().isBlank()) {
                    throw error(keyAt, "a condition key name cannot be empty");
                }
                List<String> values = strings(keyAt, k.getValue());
                for (String v : values) {
                    if (v.contains("${")) {
                        throw error(keyAt, "value '" + v + "' uses a policy variable; policy variables are not supported by the lab");
                    }
                }
                out.add(new Condition(operator, qualifier, ifExists, k.getKey(), values));
            }
        }
        return out;
    }

    private static List<String> strings(String at, JsonNode n) {
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (n.isArray() && !n.isEmpty()) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                if (!n.get(i).isTextual()) {
                    throw error(at + "/" + i, "expected a string, not " + kind(n.get(i)) + hint(n.get(i)));
                }
                out.add(n.get(i).asText());
            }
            return out;
        }
        throw error(at, "expected a string or a non-empty list of strings, not " + kind(n) + hint(n));
    }

    private static String hint(JsonNode n) {
        return n.isNumber() || n.isBoolean() ? " (quote it, e.g. \"" + n.asText() + "\")" : "";
    }

    private static String kind(JsonNode n) {
        if (n.isArray()) {
            return n.isEmpty() ? "an empty list" : "a list";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isNull()) {
            return "null";
        }
        return "a string";
    }

    private static String shown(JsonNode n) {
        return n.isTextual() ? "\"" + n.asText() + "\"" : kind(n);
    }

    private static PolicyException error(String at, String message) {
        return new PolicyException(at, message);
    }
}
