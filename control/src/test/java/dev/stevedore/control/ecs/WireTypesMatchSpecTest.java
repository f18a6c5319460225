package dev.stevedore.control.ecs;

import dev.stevedore.awsproto.Member;
import dev.stevedore.awsproto.ServiceSpec;
import dev.stevedore.awsproto.Shape;
import dev.stevedore.awsproto.ShapeType;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated records in {@code dev.stevedore.model.ecs} must say exactly what the committed
 * shape spec says: one record per structure, one component per member with the member's name and a
 * matching Java type, one constant class per enum. Fails when the spec is refreshed and the
 * generator (tools/gen-wire-types.py) was not re-run.
 */
class WireTypesMatchSpecTest {
    private static final String PACKAGE = "dev.stevedore.model.ecs.";
    private final ServiceSpec spec = ServiceSpec.load(EcsApi.SPEC_NAME);

    @Test
    void everyStructureHasARecordWithTheSameMembersAndTypes() throws Exception {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String name : spec.shapeNames()) {
            Shape shape = spec.shape(name);
            if (shape.type() != ShapeType.STRUCTURE || shape.exception()) {
                continue;
            }
            Class<?> type = Class.forName(PACKAGE + className(name));
            assertThat(type.isRecord()).as(name).isTrue();
            Map<String, Member> members = shape.members();
            RecordComponent[] components = type.getRecordComponents();
            if (components.length != members.size()) {
                problems.add(name + ": " + components.length + " components for " + members.size() + " members");
                continue;
            }
            for (RecordComponent c : components) {
                String wire = c.getName().endsWith("_") ? c.getName().substring(0, c.getName().length() - 1) : c.getName();
                Member m = members.get(wire);
                if (m == null) {
                    problems.add(name + "." + c.getName() + " is no member of the spec");
                } else if (!matches(c.getGenericType(), m.shape())) {
                    problems.add(name + "." + wire + ": " + c.getGenericType().getTypeName() + " for " + m.shape());
                }
            }
            checked++;
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThan(300);
    }

    @Test
    void everyEnumHasItsValuesInModelOrder() throws Exception {
        int checked = 0;
        for (String name : spec.shapeNames()) {
            Shape shape = spec.shape(name);
            if (shape.type() != ShapeType.STRING || shape.enumValues().isEmpty()) {
                continue;
            }
            Field values = Class.forName(PACKAGE + className(name)).getField("VALUES");
            assertThat(values.get(null)).as(name).isEqualTo(shape.enumValues());
            checked++;
        }
        assertThat(checked).isGreaterThan(50);
    }

    private boolean matches(Type javaType, String shapeName) {
        Shape shape = spec.shape(shapeName);
        return switch (shape.type()) {
            case STRING -> javaType == String.class;
            case INTEGER -> javaType == Integer.class;
            case LONG -> javaType == Long.class;
            case BOOLEAN -> javaType == Boolean.class;
            case DOUBLE, FLOAT -> javaType == Double.class;
            case TIMESTAMP -> javaType == Instant.class;
            case BLOB -> javaType == byte[].class;
            case LIST -> javaType instanceof ParameterizedType p && p.getRawType() == List.class
                    && matches(p.getActualTypeArguments()[0], shape.member().orElseThrow().shape());
            case MAP -> javaType instanceof ParameterizedType p && p.getRawType() == Map.class
                    && matches(p.getActualTypeArguments()[0], shape.key().orElseThrow().shape())
                    && matches(p.getActualTypeArguments()[1], shape.value().orElseThrow().shape());
            case STRUCTURE -> javaType instanceof Class<?> c
                    && (c.getName().equals(PACKAGE + className(shapeName)) || c == Object.class);
            default -> false;
        };
    }

    private static String className(String shapeName) {
        return switch (shapeName) {
            case "String", "Integer", "Long", "Boolean", "Double", "Float", "Object", "Record", "Error",
                 "Exception", "Override", "Module", "Process", "Runtime", "System", "Thread", "Void",
                 "Class", "Enum", "Number", "Character", "Byte", "Short", "Math", "Package", "Compiler" ->
                    shapeName + "Shape";
            default -> shapeName;
        };
    }
}
