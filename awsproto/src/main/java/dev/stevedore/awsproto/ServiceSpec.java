package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The compact model of one AWS service (one API version): its metadata, operations and shapes, as
 * extracted from the official botocore model by {@code tools/extract-shape-spec.py}.
 *
 * <p>Specs are immutable and loaded once per name.
 */
public final class ServiceSpec {

    private static final String RESOURCE_FOLDER = "specs/";
    private static final Pattern SPEC_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");
    private static final Map<String, ServiceSpec> LOADED = new ConcurrentHashMap<>();

    private final String name;
    private final Map<String, String> metadata;
    private final Map<String, OperationSpec> operations;
    private final Map<String, Shape> shapes;

    private ServiceSpec(String name, Map<String, String> metadata, Map<String, OperationSpec> operations,
                        Map<String, Shape> shapes) {
        this.name = name;
        this.metadata = metadata;
        this.operations = operations;
        this.shapes = shapes;
    }

    /**
     * Loads a committed spec by name, e.g. {@code ecs-2014-11-13}, from this module's
     * {@code dev/stevedore/awsproto/specs} resource folder.
     *
     * @throws IllegalArgumentException when no such spec exists
     */
    public static ServiceSpec load(String name) {
        if (!SPEC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid spec name '" + name + "'");
        }
        return LOADED.computeIfAbsent(name, ServiceSpec::readResource);
    }

    private static ServiceSpec readResource(String name) {
        try (InputStream in = ServiceSpec.class.getResourceAsStream(RESOURCE_FOLDER + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no service spec named '" + name + "'");
            }
            return parse(name, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read service spec " + name, e);
        }
    }

    /** Parses a spec in the compact format from a stream (not closed). */
    public static ServiceSpec parse(String name, InputStream json) {
        try {
            return fromJson(name, AwsJson.mapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse service spec " + name, e);
        }
    }

    private static ServiceSpec fromJson(String name, JsonNode root) {
        Map<String, String> metadata = new LinkedHashMap<>();
        root.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
        if (!metadata.containsKey("protocol")) {
            throw new IllegalArgumentException("spec " + name + " has no metadata.protocol");
        }
        Map<String, Shape> shapes = new LinkedHashMap<>();
        root.path("shapes").properties().forEach(e -> shapes.put(e.getKey(), shape(e.getKey(), e.getValue())));
        Map<String, OperationSpec> operations = new LinkedHashMap<>();
        root.path("operations").properties()
                .forEach(e -> operations.put(e.getKey(), operation(e.getKey(), e.getValue(), shapes)));
        checkReferences(name, shapes, operations);
        return new ServiceSpec(name, Collections.unmodifiableMap(metadata), Collections.unmodifiableMap(operations),
                Collections.unmodifiableMap(shapes));
    }

    private static OperationSpec operation(String name, JsonNode node, Map<String, Shape> shapes) {
        Optional<String> input = text(node, "input");
        Optional<String> tokenMember = input.map(shapes::get).flatMap(shape -> shape.members().values().stream()
                .filter(Member::idempotencyToken).map(Member::name).findFirst());
        List<String> errors = new ArrayList<>();
        node.path("errors").forEach(e -> errors.add(e.isObject() ? e.path("shape").asText() : e.asText()));
        JsonNode http = node.path("http");
        return new OperationSpec(name, input, text(node, "output"), errors, http.path("method").asText("POST"),
                http.path("requestUri").asText("/"),
                http.has("responseCode") ? Optional.of(http.get("responseCode").asInt()) : Optional.empty(),
                tokenMember, text(node, "resultWrapper"));
    }

    private static Shape shape(String name, JsonNode node) {
        Map<String, Member> members = new LinkedHashMap<>();
        node.path("members").properties().forEach(e -> members.put(e.getKey(), member(e.getKey(), e.getValue())));
        List<String> required = new ArrayList<>();
        node.path("required").forEach(r -> required.add(r.asText()));
        List<String> enumValues = new ArrayList<>();
        node.path("enum").forEach(v -> enumValues.add(v.asText()));
        Optional<Shape.ErrorTrait> error = Optional.empty();
        if (node.has("error")) {
            JsonNode trait = node.get("error");
            error = Optional.of(new Shape.ErrorTrait(text(trait, "code"),
                    trait.has("httpStatusCode") ? Optional.of(trait.get("httpStatusCode").asInt()) : Optional.empty(),
                    trait.path("senderFault").asBoolean(false)));
        }
        return new Shape(name, ShapeType.fromModel(node.path("type").asText()), members, required, enumValues,
                decimal(node, "min"), decimal(node, "max"), text(node, "pattern"),
                optionalMember(node, "member"), optionalMember(node, "key"), optionalMember(node, "value"),
                node.path("exception").asBoolean(false), node.path("fault").asBoolean(false),
                node.path("sensitive").asBoolean(false), text(node, "timestampFormat"), error,
                node.path("flattened").asBoolean(false));
    }

    private static Optional<Member> optionalMember(JsonNode node, String field) {
        return node.has(field) ? Optional.of(member(field, node.get(field))) : Optional.empty();
    }

    private static Member member(String name, JsonNode node) {
        return new Member(name, node.path("shape").asText(), node.path("idempotencyToken").asBoolean(false),
                text(node, "locationName"), text(node, "location"), text(node, "queryName"),
                node.path("flattened").asBoolean(false));
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    private static Optional<BigDecimal> decimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? Optional.of(value.decimalValue()) : Optional.empty();
    }

    // A dangling reference is a broken spec file; failing at load beats a NullPointerException mid-request.
    private static void checkReferences(String spec, Map<String, Shape> shapes, Map<String, OperationSpec> ops) {
        List<String> dangling = new ArrayList<>();
        shapes.values().forEach(shape -> {
            List<Member> refs = new ArrayList<>(shape.members().values());
            shape.member().ifPresent(refs::add);
            shape.key().ifPresent(refs::add);
            shape.value().ifPresent(refs::add);
            refs.stream().filter(m -> !shapes.containsKey(m.shape()))
                    .forEach(m -> dangling.add(shape.name() + "." + m.name() + " -> " + m.shape()));
        });
        ops.values().forEach(op -> {
            op.input().filter(s -> !shapes.containsKey(s)).ifPresent(s -> dangling.add(op.name() + " input " + s));
            op.output().filter(s -> !shapes.containsKey(s)).ifPresent(s -> dangling.add(op.name() + " output " + s));
            op.errors().stream().filter(s -> !shapes.containsKey(s)).forEach(s -> dangling.add(op.name() + " error " + s));
        });
        if (!dangling.isEmpty()) {
            throw new IllegalArgumentException("spec " + spec + " references unknown shapes: " + dangling);
        }
    }

    /** The spec name, e.g. {@code ecs-2014-11-13}. */
    public String name() {
        return name;
    }

    /** The wire protocol: {@code json}, {@code query}, {@code ec2}, {@code rest-json} or {@code rest-xml}. */
    public String protocol() {
        return metadata.get("protocol");
    }

    public String apiVersion() {
        return metadata.getOrDefault("apiVersion", "");
    }

    public String endpointPrefix() {
        return metadata.getOrDefault("endpointPrefix", "");
    }

    /** The SigV4 credential-scope service: {@code signingName}, else the endpoint prefix. */
    public String signingName() {
        return metadata.getOrDefault("signingName", endpointPrefix());
    }

    /** The {@code X-Amz-Target} prefix of the awsJson protocols. */
    public Optional<String> targetPrefix() {
        return Optional.ofNullable(metadata.get("targetPrefix"));
    }

    /** The awsJson version, {@code 1.0} or {@code 1.1}. */
    public Optional<String> jsonVersion() {
        return Optional.ofNullable(metadata.get("jsonVersion"));
    }

    public String serviceId() {
        return metadata.getOrDefault("serviceId", "");
    }

    /** Any metadata field kept by the extractor, e.g. {@code xmlNamespace}. */
    public Optional<String> metadata(String field) {
        return Optional.ofNullable(metadata.get(field));
    }

    /**
     * The field name a member has in the JSON tree that handlers receive and return. In the JSON
     * protocols that is the member's wire name; in the XML-based ones ({@code query}, {@code ec2},
     * {@code rest-xml}) the wire names are parameter or element names that the endpoint translates,
     * and the tree uses the member name, which is also what the generated records are annotated with.
     * In REST-JSON a member bound to the path, query string or a header is keyed by its member name
     * too (its {@code locationName} is a label or parameter name); a body member by its wire name.
     */
    public String memberKey(Member member) {
        return switch (protocol()) {
            case "json" -> member.wireName();
            case "rest-json" -> member.location().isPresent() ? member.name() : member.wireName();
            default -> member.name();
        };
    }

    public Optional<OperationSpec> operation(String operationName) {
        return Optional.ofNullable(operations.get(operationName));
    }

    public Set<String> operationNames() {
        return operations.keySet();
    }

    /**
     * A shape by name.
     *
     * @throws IllegalArgumentException when the spec has no such shape
     */
    public Shape shape(String shapeName) {
        Shape shape = shapes.get(shapeName);
        if (shape == null) {
            throw new IllegalArgumentException("spec " + name + " has no shape '" + shapeName + "'");
        }
        return shape;
    }

    /**
     * The error shape named by its shape name ({@code NoSuchEntityException}) or by its code on the wire
     * ({@code NoSuchEntity}).
     */
    public Optional<Shape> errorShape(String shapeOrCode) {
        Shape named = shapes.get(shapeOrCode);
        if (named != null && named.exception()) {
            return Optional.of(named);
        }
        return shapes.values().stream().filter(s -> s.exception() && s.errorCode().equals(shapeOrCode)).findFirst();
    }

    /** The error the model marks as the server's fault, when it marks exactly one. */
    public Optional<Shape> serverFault() {
        List<Shape> faults = shapes.values().stream().filter(s -> s.exception() && s.fault()).toList();
        return faults.size() == 1 ? Optional.of(faults.getFirst()) : Optional.empty();
    }

    /**
     * A modelled error for a handler to throw: the shape's wire code and HTTP status (IAM's
     * {@code NoSuchEntityException} is 404 {@code NoSuchEntity}).
     *
     * @param shapeOrCode the error's shape name or wire code
     * @throws IllegalArgumentException when this service models no such error
     */
    public AwsException error(String shapeOrCode, String message) {
        Shape shape = errorShape(shapeOrCode).orElseThrow(() ->
                new IllegalArgumentException("spec " + name + " models no error " + shapeOrCode));
        return new AwsException(shape.errorCode(), shape.httpStatus(), message);
    }

    public Optional<Shape> findShape(String shapeName) {
        return Optional.ofNullable(shapes.get(shapeName));
    }

    public Set<String> shapeNames() {
        return shapes.keySet();
    }

    @Override
    public String toString() {
        return "ServiceSpec[" + name + ", " + protocol() + ", " + operations.size() + " operations]";
    }
}
