package dev.stevedore.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * IAM's policy grammar, checked in the order IAM checks it so that a document with several faults
 * gets the message IAM would give: first the JSON and its shape ("Syntax errors in policy."), then
 * what the document kind requires of Principal and Resource, the Version, the legacy parser's rules,
 * Sid uniqueness, the presence of actions and resources, resource ARN formats, and last the action
 * vendor prefixes.
 */
final class PolicyParser {
    /**
     * IAM's PolicyDocument parameter is at most 131,072 characters; anything longer is refused before
     * it is read. Policies nest six levels deep at most, so a small bound refuses hostile nesting
     * while the reader still holds a shallow stack.
     */
    static final int MAX_DOCUMENT_CHARS = 131_072;
    static final int MAX_NESTING = 32;

    static final String SYNTAX = "Syntax errors in policy.";
    static final String LEGACY = "The policy failed legacy parsing";
    static final String VERSION = "Policy document must be version 2012-10-17 or greater.";
    static final String NO_PRINCIPAL_ALLOWED = "Policy document should not specify a principal.";
    static final String PRINCIPAL_REQUIRED = "Missing required field Principal";
    static final String NO_PRINCIPALS =
            "Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!";
    static final String DUPLICATE_SID = "Statement IDs (SID) in a single policy must be unique.";
    static final String SID_FORMAT = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*";
    static final String NO_ACTIONS = "Policy statement must contain actions.";
    static final String NO_RESOURCES = "Policy statement must contain resources.";
    static final String NO_VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
    static final String ONE_COLON = "Actions/Condition can contain only one colon.";
    static final String TRUST_ACTIONS =
            "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity";

    private static final Set<String> TOP_LEVEL = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_FIELDS =
            Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated", "CanonicalUser");
    private static final List<String> TRUST_ACTION_NAMES = List.of(
            "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:SetSourceIdentity",
            "sts:SetContext");

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .maxDocumentLength(MAX_DOCUMENT_CHARS)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private PolicyParser() {}

    static PolicyDocument parse(String text, Optional<PolicyKind> kind) {
        if (text.length() > MAX_DOCUMENT_CHARS) {
            throw malformed(SYNTAX);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) { // the nesting bound stops deep documents here, long before the stack would
            throw malformed(SYNTAX);
        }
        List<JsonNode> statements = checkSyntax(root);
        Optional<String> version = Optional.ofNullable(root.get("Version")).map(JsonNode::textValue);
        kind.ifPresent(k -> checkKind(k, statements, version));
        checkLegacy(statements);
        checkSids(statements, kind);
        checkElements(statements, kind);
        boolean variables = version.filter(PolicyDocument.VERSION_2012::equals).isPresent();
        List<Statement> compiled = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            compiled.add(compile(i, statements.get(i), variables));
        }
        return new PolicyDocument(version, Optional.ofNullable(root.get("Id")).map(JsonNode::textValue), compiled);
    }

    /** Actions and resources present, resources well-formed, actions and condition keys with a vendor, trust actions. */
    private static void checkElements(List<JsonNode> statements, Optional<PolicyKind> kind) {
        for (JsonNode s : statements) {
            if (isEmptyElement(s, "Action", "NotAction")) {
                throw malformed(NO_ACTIONS);
            }
        }
        boolean resourcesRequired = kind.isPresent() && kind.get() != PolicyKind.TRUST;
        for (JsonNode s : statements) {
            if (resourcesRequired && isEmptyElement(s, "Resource", "NotResource")) {
                throw malformed(NO_RESOURCES);
            }
        }
        for (JsonNode s : statements) {
            for (String r : strings(s, "Resource", "NotResource")) {
                ResourceArnFormat.error(r).ifPresent(m -> {
                    throw malformed(m);
                });
            }
        }
        for (JsonNode s : statements) {
            for (String a : strings(s, "Action", "NotAction")) {
                checkVendor(a);
            }
            JsonNode condition = s.get("Condition");
            if (condition != null) {
                for (Map.Entry<String, JsonNode> block : condition.properties()) {
                    for (Iterator<String> keys = block.getValue().fieldNames(); keys.hasNext(); ) {
                        // A key may hold more colons (aws:ResourceTag/aws:cloudformation:stack-name); it needs its vendor.
                        if (keys.next().indexOf(':') < 0) {
                            throw malformed(NO_VENDOR);
                        }
                    }
                }
            }
        }
        if (kind.equals(Optional.of(PolicyKind.TRUST))) {
            for (JsonNode s : statements) {
                for (String a : strings(s, "Action", "NotAction")) {
                    WildcardPattern p = WildcardPattern.compile(a, WildcardPattern.Mode.ACTION, false);
                    if (TRUST_ACTION_NAMES.stream().noneMatch(n -> p.matches(n, RequestContext.empty()))) {
                        throw malformed(TRUST_ACTIONS);
                    }
                }
            }
        }
    }

    // ---- the shape of the document: anything wrong here is "Syntax errors in policy."

    private static List<JsonNode> checkSyntax(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw malformed(SYNTAX);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            if (!TOP_LEVEL.contains(it.next())) {
                throw malformed(SYNTAX);
            }
        }
        JsonNode version = root.get("Version");
        if (version != null && !(version.isTextual()
                && (version.textValue().equals(PolicyDocument.VERSION_2012) || version.textValue().equals(PolicyDocument.VERSION_2008)))) {
            throw malformed(SYNTAX);
        }
        JsonNode id = root.get("Id");
        if (id != null && !id.isTextual()) {
            throw malformed(SYNTAX);
        }
        JsonNode statement = root.get("Statement");
        List<JsonNode> statements = new ArrayList<>();
        if (statement == null) {
            throw malformed(SYNTAX);
        } else if (statement.isObject()) {
            statements.add(statement);
        } else if (statement.isArray() && !statement.isEmpty()) {
            statement.forEach(statements::add);
        } else {
            throw malformed(SYNTAX);
        }
        for (JsonNode s : statements) {
            checkStatementSyntax(s);
        }
        return statements;
    }

    private static void checkStatementSyntax(JsonNode s) {
        if (!s.isObject()) {
            throw malformed(SYNTAX);
        }
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            if (!STATEMENT_FIELDS.contains(it.next())) {
                throw malformed(SYNTAX);
            }
        }
        if ((s.has("Action") && s.has("NotAction")) || (s.has("Resource") && s.has("NotResource"))
                || (s.has("Principal") && s.has("NotPrincipal"))) {
            throw malformed(SYNTAX);
        }
        JsonNode effect = s.get("Effect");
        if (effect == null || !effect.isTextual()
                || !(effect.textValue().equalsIgnoreCase("Allow") || effect.textValue().equalsIgnoreCase("Deny"))) {
            throw malformed(SYNTAX);
        }
        if (s.has("Sid") && !s.get("Sid").isTextual()) {
            throw malformed(SYNTAX);
        }
        for (String field : List.of("Action", "NotAction", "Resource", "NotResource")) {
            JsonNode v = s.get(field);
            if (v != null && !isStringOrStrings(v)) {
                throw malformed(SYNTAX);
            }
        }
        checkPrincipalSyntax(s);
        checkConditionSyntax(s.get("Condition"));
    }

    private static void checkPrincipalSyntax(JsonNode s) {
        for (String field : List.of("Principal", "NotPrincipal")) {
            JsonNode p = s.get(field);
            if (p == null) {
                continue;
            }
            if (p.isTextual()) {
                if (!p.textValue().equals("*")) {
                    throw malformed(SYNTAX);
                }
            } else if (p.isObject() && !p.isEmpty()) {
                for (Map.Entry<String, JsonNode> e : p.properties()) {
                    if (!PRINCIPAL_TYPES.contains(e.getKey()) || !isStringOrStrings(e.getValue())) {
                        throw malformed(SYNTAX);
                    }
                }
            } else {
                throw malformed(SYNTAX);
            }
        }
    }

    private static void checkConditionSyntax(JsonNode condition) {
        if (condition == null) {
            return;
        }
        if (!condition.isObject()) {
            throw malformed(SYNTAX);
        }
        for (Map.Entry<String, JsonNode> block : condition.properties()) {
            JsonNode keys = block.getValue();
            if (!keys.isObject()) {
                throw malformed(SYNTAX);
            }
            for (Map.Entry<String, JsonNode> key : keys.properties()) {
                if (!isScalarOrScalars(key.getValue())) {
                    throw malformed(SYNTAX);
                }
            }
            // IAM lets an unknown operator through only when its block is empty.
            if (OperatorName.read(block.getKey()).isEmpty() && !keys.isEmpty()) {
                throw malformed(SYNTAX);
            }
        }
    }

    private static boolean isStringOrStrings(JsonNode v) {
        if (v.isTextual()) {
            return true;
        }
        if (!v.isArray()) {
            return false;
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static boolean isScalarOrScalars(JsonNode v) {
        if (isConditionScalar(v)) {
            return true;
        }
        if (!v.isArray()) {
            return false;
        }
        for (JsonNode e : v) {
            if (!isConditionScalar(e)) {
                return false;
            }
        }
        return true;
    }

    /** Condition values are strings; IAM also takes unquoted numbers and booleans ({@code "aws:SecureTransport": false}). */
    private static boolean isConditionScalar(JsonNode v) {
        return v.isTextual() || v.isNumber() || v.isBoolean();
    }

    // ---- what each kind requires

    private static void checkKind(PolicyKind kind, List<JsonNode> statements, Optional<String> version) {
        for (JsonNode s : statements) {
            boolean named = s.has("Principal") || s.has("NotPrincipal");
            switch (kind) {
                case IDENTITY, MANAGED, SESSION -> {
                    if (named) {
                        throw malformed(NO_PRINCIPAL_ALLOWED);
                    }
                }
                case TRUST, RESOURCE -> {
                    if (!named) {
                        throw malformed(PRINCIPAL_REQUIRED);
                    }
                    if (kind == PolicyKind.TRUST) {
                        if (s.has("Resource")) {
                            throw malformed("Has prohibited field Resource");
                        }
                        if (s.has("NotResource")) {
                            throw malformed("Has prohibited field NotResource");
                        }
                    }
                    checkPrincipalValues(s.has("Principal") ? s.get("Principal") : s.get("NotPrincipal"));
                }
            }
        }
        if (kind == PolicyKind.MANAGED && !version.equals(Optional.of(PolicyDocument.VERSION_2012))) {
            throw malformed(VERSION);
        }
    }

    /** An AWS principal is {@code *}, a 12-digit account id, or an ARN; IAM names the one it refuses. */
    private static void checkPrincipalValues(JsonNode principal) {
        if (!principal.isObject()) {
            return;
        }
        boolean none = true;
        for (JsonNode values : principal) {
            none &= values.isArray() && values.isEmpty();
        }
        if (none) {
            // IAM lets its internal exception's words through here.
            throw malformed(NO_PRINCIPALS);
        }
        for (Map.Entry<String, JsonNode> e : principal.properties()) {
            for (String value : strings(e.getValue())) {
                boolean valid = switch (e.getKey()) {
                    case "AWS" -> value.equals("*") || isAccountId(value) || (value.startsWith("arn:") && value.split(":", -1).length >= 6);
                    default -> !value.isEmpty();
                };
                if (!valid) {
                    throw malformed("Invalid principal in policy: \"" + e.getKey() + "\":\"" + value + "\"");
                }
            }
        }
    }

    private static boolean isAccountId(String s) {
        return s.length() == 12 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    // ---- the legacy parser's rules

    private static void checkLegacy(List<JsonNode> statements) {
        for (JsonNode s : statements) {
            String effect = s.get("Effect").textValue();
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw malformed(LEGACY);
            }
            JsonNode condition = s.get("Condition");
            if (condition != null) {
                for (Map.Entry<String, JsonNode> block : condition.properties()) {
                    Optional<OperatorName> op = OperatorName.read(block.getKey());
                    if (op.isPresent() && op.get().operator().family == ConditionOperator.Family.DATE) {
                        for (Map.Entry<String, JsonNode> key : block.getValue().properties()) {
                            for (String v : scalars(key.getValue())) {
                                if (PolicyDates.epochMillis(v).isEmpty()) {
                                    throw malformed(LEGACY);
                                }
                            }
                        }
                    }
                }
            }
            for (String r : strings(s, "Resource", "NotResource")) {
                if (r.equals("*") || r.indexOf(':') < 0) {
                    continue;
                }
                String[] parts = r.split(":", -1);
                if ((parts.length < 6 && r.contains("::")) || (parts.length > 2 && parts[2].isEmpty())) {
                    throw malformed(LEGACY);
                }
            }
        }
    }

    private static void checkSids(List<JsonNode> statements, Optional<PolicyKind> kind) {
        Set<String> seen = new HashSet<>();
        for (JsonNode s : statements) {
            JsonNode sid = s.get("Sid");
            if (sid != null && !sid.textValue().isEmpty() && !seen.add(sid.textValue())) {
                throw malformed(DUPLICATE_SID);
            }
        }
        boolean iamKind = kind.isPresent() && kind.get() != PolicyKind.RESOURCE;
        if (iamKind) {
            for (JsonNode s : statements) {
                JsonNode sid = s.get("Sid");
                if (sid != null && !sid.textValue().chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                    throw malformed(SID_FORMAT);
                }
            }
        }
    }

    private static boolean isEmptyElement(JsonNode s, String element, String notElement) {
        JsonNode v = s.has(element) ? s.get(element) : s.get(notElement);
        return v == null || (v.isArray() && v.isEmpty());
    }

    /** An action (or condition key) must name its service: {@code ecs:RunTask}, {@code aws:SourceIp}, or be {@code *}. */
    private static void checkVendor(String action) {
        if (action.equals("*")) {
            return;
        }
        int colon = action.indexOf(':');
        if (colon < 0) {
            throw malformed(NO_VENDOR);
        }
        if (action.indexOf(':', colon + 1) >= 0) {
            throw malformed(ONE_COLON);
        }
        String vendor = action.substring(0, colon);
        if (!vendor.equals("*") && !vendor.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.')) {
            throw malformed("Vendor " + vendor + " is not valid");
        }
    }

    // ---- compiling statements

    private static Statement compile(int index, JsonNode s, boolean variables) {
        Optional<String> sid = Optional.ofNullable(s.get("Sid")).map(JsonNode::textValue).filter(t -> !t.isEmpty());
        Effect effect = s.get("Effect").textValue().equals("Allow") ? Effect.ALLOW : Effect.DENY;
        boolean notAction = s.has("NotAction");
        Patterns actions = new Patterns(strings(s, "Action", "NotAction"), notAction, WildcardPattern.Mode.ACTION, false);
        Patterns resources = s.has("Resource") || s.has("NotResource")
                ? new Patterns(strings(s, "Resource", "NotResource"), s.has("NotResource"), WildcardPattern.Mode.RESOURCE, variables)
                : Patterns.ANY;
        boolean notPrincipal = s.has("NotPrincipal");
        Optional<PrincipalSpec> principal = Optional.ofNullable(notPrincipal ? s.get("NotPrincipal") : s.get("Principal"))
                .map(PolicyParser::principal);
        List<Condition> conditions = new ArrayList<>();
        JsonNode condition = s.get("Condition");
        if (condition != null) {
            for (Map.Entry<String, JsonNode> block : condition.properties()) {
                Optional<OperatorName> name = OperatorName.read(block.getKey());
                if (name.isEmpty()) {
                    continue; // an unknown operator with an empty block, which IAM accepts
                }
                OperatorName op = name.get();
                for (Map.Entry<String, JsonNode> key : block.getValue().properties()) {
                    List<Condition.Operand> operands = scalars(key.getValue()).stream()
                            .map(v -> Condition.operand(op.operator(), v, variables))
                            .toList();
                    conditions.add(new Condition(block.getKey(), op.operator(), op.qualifier(), op.ifExists(),
                            RequestContext.normalize(key.getKey()), operands));
                }
            }
        }
        return new Statement(index, sid, effect, principal, notPrincipal, actions, resources, conditions);
    }

    private static PrincipalSpec principal(JsonNode p) {
        if (p.isTextual()) {
            return new PrincipalSpec(true, Set.of(), Set.of(), Set.of(), Set.of(), Set.of());
        }
        boolean everyone = false;
        Set<String> accounts = new HashSet<>();
        Set<String> arns = new HashSet<>();
        Set<String> services = new HashSet<>();
        Set<String> federated = new HashSet<>();
        Set<String> canonical = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : p.properties()) {
            for (String v : strings(e.getValue())) {
                switch (e.getKey()) {
                    case "AWS" -> {
                        if (v.equals("*")) {
                            everyone = true;
                        } else if (isAccountId(v)) {
                            accounts.add(v);
                        } else if (v.startsWith("arn:") && v.endsWith(":root") && isAccountId(accountOf(v))) {
                            accounts.add(accountOf(v));
                        } else {
                            arns.add(v);
                        }
                    }
                    case "Service" -> services.add(v);
                    case "Federated" -> federated.add(v);
                    default -> canonical.add(v);
                }
            }
        }
        return new PrincipalSpec(everyone, accounts, arns, services, federated, canonical);
    }

    private static String accountOf(String arn) {
        String[] parts = arn.split(":", -1);
        return parts.length >= 6 ? parts[4] : "";
    }

    private static List<String> strings(JsonNode s, String element, String notElement) {
        JsonNode v = s.has(element) ? s.get(element) : s.get(notElement);
        return v == null ? List.of() : strings(v);
    }

    private static List<String> strings(JsonNode v) {
        if (v.isTextual()) {
            return List.of(v.textValue());
        }
        List<String> out = new ArrayList<>(v.size());
        v.forEach(e -> out.add(e.textValue()));
        return out;
    }

    private static List<String> scalars(JsonNode v) {
        if (!v.isArray()) {
            return List.of(v.asText());
        }
        List<String> out = new ArrayList<>(v.size());
        v.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static MalformedPolicyException malformed(String message) {
        return new MalformedPolicyException(message);
    }
}
