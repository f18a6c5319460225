package dev.stevedore.e2e.malformed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stevedore.awsproto.Member;
import dev.stevedore.awsproto.OperationSpec;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.awsproto.Shape;
import dev.stevedore.awsproto.ShapeType;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The malformed requests of one operation of a form-encoded service: EC2's protocol or the Query protocol. */
final class FormCases {
    private static final String CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";

    private final ServiceSpec spec;
    private final OperationSpec operation;
    private final Random random;
    private final int perKind;
    private final boolean ec2;
    private final List<MalformedCase> cases = new ArrayList<>();

    private FormCases(ServiceSpec spec, OperationSpec operation, Random random, int perKind) {
        this.spec = spec;
        this.operation = operation;
        this.random = random;
        this.perKind = perKind;
        this.ec2 = spec.protocol().equals("ec2");
    }

    static List<MalformedCase> of(ServiceSpec spec, OperationSpec operation, Random random, int perKind) {
        FormCases c = new FormCases(spec, operation, random, perKind);
        c.generate();
        return c.cases;
    }

    /** One form parameter of the sample, with the shape of its value and whether its member is required at the top. */
    private record Param(String name, String value, Shape shape, boolean requiredAtTop) {
        Param with(String newValue) {
            return new Param(name, newValue, shape, requiredAtTop);
        }
    }

    private void generate() {
        List<Param> params = new ArrayList<>();
        operation.input().ifPresent(input -> {
            JsonNode sample = new SampleInput(spec, random).of(input);
            flatten(sample, spec.shape(input), "", true, params);
        });
        List<Param> shuffled = new ArrayList<>(params);
        Collections.shuffle(shuffled, random);

        bodyCases(params);
        for (Param p : pick(shuffled, p -> p.shape().type().isNumeric() || p.shape().type() == ShapeType.BOOLEAN
                || p.shape().type() == ShapeType.TIMESTAMP)) {
            String wrong = switch (p.shape().type()) {
                case BOOLEAN -> "maybe";
                case TIMESTAMP -> "yesterday";
                default -> "twelve";
            };
            add("wrong-type", p.name(), replaced(params, p, wrong));
        }
        for (Param p : pick(shuffled, Param::requiredAtTop)) {
            List<Param> without = new ArrayList<>(params);
            without.removeIf(q -> q.name().equals(p.name()) || q.name().startsWith(p.name() + "."));
            add("missing-required", p.name(), without);
        }
        for (Param p : pick(shuffled, p -> p.shape().type().isNumeric())) {
            p.shape().min().ifPresent(m -> add("out-of-range", p.name(), replaced(params, p, m.subtract(BigDecimal.ONE).toPlainString())));
            p.shape().max().ifPresent(m -> add("out-of-range", p.name(), replaced(params, p, m.add(BigDecimal.ONE).toPlainString())));
            add("odd-number", p.name(), replaced(params, p, pickOne(Damage.ODD_NUMBERS)));
        }
        for (Param p : pick(shuffled, p -> p.shape().type() == ShapeType.STRING)) {
            int length = p.shape().max().map(m -> m.intValue() + 1).filter(n -> n <= Damage.LONG).orElse(Damage.LONG);
            add("over-long", p.name() + " (" + length + " chars)", replaced(params, p, "x".repeat(length)));
            add("odd-string", p.name(), replaced(params, p, pickOne(Damage.ODD_STRINGS)));
            if (!p.shape().enumValues().isEmpty()) {
                add("bad-enum", p.name(), replaced(params, p, "NOT_A_VALUE"));
            }
            addRaw("invalid-utf8", p.name(), encode(params).replace(
                    enc(p.name()) + "=" + enc(p.value()), enc(p.name()) + "=%C3%28%80%C0%AF%FF"));
            addRaw("bad-escape", p.name(), encode(params).replace(
                    enc(p.name()) + "=" + enc(p.value()), enc(p.name()) + "=%G1%2"));
        }
        for (Param p : pick(shuffled, p -> p.name().matches(".*\\.(member\\.)?1(\\..*)?"))) {
            String big = p.name().replaceFirst("\\.(member\\.)?1(?=\\.|$)", ".$1" + "2147483648");
            add("huge-index", big, append(params, new Param(big, p.value(), p.shape(), false)));
            List<Param> many = new ArrayList<>(params);
            for (int i = 2; i <= Damage.HUGE / 4; i++) {
                many.add(new Param(p.name().replaceFirst("\\.(member\\.)?1(?=\\.|$)", ".$1" + i), p.value(), p.shape(), false));
            }
            add("huge-array", p.name(), many);
        }
        if (!shuffled.isEmpty()) {
            Param p = shuffled.get(0);
            add("duplicate-parameter", p.name(), append(params, p.with("other")));
            add("unknown-parameter", p.name() + ".StevedoreNoSuchMember",
                    append(params, new Param(p.name() + ".StevedoreNoSuchMember", "1", p.shape(), false)));
        }
    }

    /** Damage to the form as a whole: no action, another version, not a form, cut short, wrong content type. */
    private void bodyCases(List<Param> params) {
        String good = encode(params);
        addRaw("truncated", "cut at " + (good.length() / 2), good.substring(0, good.length() / 2));
        addRaw("no-action", "", good.replace("Action=" + operation.name() + "&", ""));
        addRaw("empty-action", "", good.replace("Action=" + operation.name(), "Action="));
        addRaw("unknown-action", "", good.replace("Action=" + operation.name(), "Action=" + operation.name() + "X"));
        addRaw("no-version", "", good.replace("&Version=" + spec.apiVersion(), ""));
        addRaw("other-version", "", good.replace("Version=" + spec.apiVersion(), "Version=1999-01-01"));
        addRaw("repeated-action", "", good + "&Action=" + operation.name());
        addRaw("unknown-parameter", "StevedoreNoSuchParameter", good + "&StevedoreNoSuchParameter=1");
        for (String body : List.of("", "=", "&&&", "Action", "%", "{\"Action\":\"" + operation.name() + "\"}", "\u0000")) {
            addRaw("not-a-form", body, body);
        }
        for (String type : List.of("text/plain", "application/json", "application/x-amz-json-1.1", "")) {
            cases.add(new MalformedCase(spec.name(), spec.signingName(), operation.name(), "content-type", "'" + type + "'",
                    type.isEmpty() ? Map.of() : Map.of("Content-Type", type), good.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void flatten(JsonNode node, Shape shape, String prefix, boolean top, List<Param> out) {
        switch (shape.type()) {
            case STRUCTURE -> {
                for (Member member : shape.members().values()) {
                    JsonNode child = node.get(spec.memberKey(member));
                    if (child != null) {
                        String name = join(prefix, ec2 ? member.ec2ParameterName() : member.locationName().orElse(member.name()));
                        Shape childShape = spec.shape(member.shape());
                        if (childShape.type() == ShapeType.LIST && !ec2 && !member.flattened() && !childShape.flattened()) {
                            name = name + "." + childShape.member().orElseThrow().locationName().orElse("member");
                        }
                        int before = out.size();
                        flatten(child, childShape, name, false, out);
                        if (top && shape.isRequired(member.name()) && out.size() > before) {
                            out.set(before, markRequired(out.get(before)));
                        }
                    }
                }
            }
            case LIST -> {
                Shape element = spec.shape(shape.member().orElseThrow().shape());
                for (int i = 0; i < node.size(); i++) {
                    flatten(node.get(i), element, prefix + "." + (i + 1), false, out);
                }
            }
            case MAP -> {
                int i = 1;
                var names = node.fieldNames();
                while (names.hasNext()) {
                    String key = names.next();
                    String entry = prefix + (ec2 ? "." : ".entry.") + i++;
                    out.add(new Param(entry + ".key", key, spec.shape(shape.key().orElseThrow().shape()), false));
                    flatten(node.get(key), spec.shape(shape.value().orElseThrow().shape()), entry + ".value", false, out);
                }
            }
            case TIMESTAMP -> out.add(new Param(prefix, "2023-11-14T22:13:20Z", shape, false));
            default -> out.add(new Param(prefix, node.asText(), shape, false));
        }
    }

    private static Param markRequired(Param p) {
        return new Param(p.name(), p.value(), p.shape(), true);
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private List<Param> pick(List<Param> params, java.util.function.Predicate<Param> which) {
        return params.stream().filter(which).limit(perKind).toList();
    }

    private <T> T pickOne(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static List<Param> replaced(List<Param> params, Param target, String value) {
        return params.stream().map(p -> p == target ? p.with(value) : p).toList();
    }

    private static List<Param> append(List<Param> params, Param extra) {
        List<Param> more = new ArrayList<>(params);
        more.add(extra);
        return more;
    }

    private String encode(List<Param> params) {
        StringBuilder s = new StringBuilder("Action=" + operation.name() + "&Version=" + spec.apiVersion());
        for (Param p : params) {
            s.append('&').append(enc(p.name())).append('=').append(enc(p.value()));
        }
        return s.toString();
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private void add(String kind, String detail, List<Param> params) {
        addRaw(kind, detail, encode(params));
    }

    private void addRaw(String kind, String detail, String body) {
        cases.add(new MalformedCase(spec.name(), spec.signingName(), operation.name(), kind, detail,
                Map.of("Content-Type", CONTENT_TYPE), body.getBytes(StandardCharsets.UTF_8)));
    }
}
