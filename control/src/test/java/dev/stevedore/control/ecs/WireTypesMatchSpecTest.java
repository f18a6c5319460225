package dev.stevedore.control.ecs;

import com.fasterxml.jackson.annotation.JsonProperty;
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
 * The generated records in {@code dev.stevedore.model.ecs}, {@code .ec2}, {@code .iam}, {@code .sts}, {@code .ssm}, {@code .secretsmanager}, {@code .logs}, {@code .elbv2}, {@code .efs} and {@code .ecr} must
 * say exactly what their committed shape specs say: one record per structure, one component per
 * member with a matching Java type, one constant class per enum. A component names its member by its
 * own name (ECS: component names are the wire names) or by its {@code @JsonProperty} (EC2: the
 * capitalised member names become lower-camel components that carry the member name). Fails when a
 * spec is refreshed and the generator (tools/gen-wire-types.py) was not re-run.
 */
class WireTypesMatchSpecTest {
    private static final Generated ECS = new Generated(ServiceSpec.load(EcsApi.SPEC_NAME), "dev.stevedore.model.ecs.");
    private static final Generated EC2 = new Generated(ServiceSpec.load("ec2-2016-11-15"), "dev.stevedore.model.ec2.");
    private static final Generated IAM = new Generated(ServiceSpec.load("iam-2010-05-08"), "dev.stevedore.model.iam.");
    private static final Generated STS = new Generated(ServiceSpec.load("sts-2011-06-15"), "dev.stevedore.model.sts.");
    private static final Generated SSM = new Generated(ServiceSpec.load("ssm-2014-11-06"), "dev.stevedore.model.ssm.");
    private static final Generated LOGS = new Generated(ServiceSpec.load("logs-2014-03-28"), "dev.stevedore.model.logs.");
    private static final Generated SECRETS_MANAGER = new Generated(ServiceSpec.load("secretsmanager-2017-10-17"),
            "dev.stevedore.model.secretsmanager.");
    private static final Generated ELBV2 = new Generated(ServiceSpec.load("elbv2-2015-12-01"), "dev.stevedore.model.elbv2.");
    private static final Generated EFS = new Generated(ServiceSpec.load("efs-2015-02-01"), "dev.stevedore.model.efs.");
    private static final Generated ECR = new Generated(ServiceSpec.load("ecr-2015-09-21"), "dev.stevedore.model.ecr.");

    @Test
    void everyEcsStructureHasARecordWithTheSameMembersAndTypes() throws Exception {
        assertThat(checkStructures(ECS)).isGreaterThan(300);
    }

    @Test
    void everyEcsEnumHasItsValuesInModelOrder() throws Exception {
        assertThat(checkEnums(ECS)).isGreaterThan(50);
    }

    @Test
    void everyEc2StructureHasARecordWithTheSameMembersAndTypes() throws Exception {
        assertThat(checkStructures(EC2)).isGreaterThan(60);
    }

    @Test
    void everyEc2EnumHasItsValuesInModelOrder() throws Exception {
        assertThat(checkEnums(EC2)).isGreaterThan(15);
    }

    @Test
    void everyIamAndStsStructureHasARecordWithTheSameMembersAndTypes() throws Exception {
        assertThat(checkStructures(IAM)).isGreaterThan(80);
        assertThat(checkStructures(STS)).isGreaterThan(8);
    }

    @Test
    void everyIamEnumHasItsValuesInModelOrder() throws Exception {
        assertThat(checkEnums(IAM)).isGreaterThan(3);
    }

    @Test
    void everySsmStructureAndEnumMatchesItsSpec() throws Exception {
        assertThat(checkStructures(SSM)).isGreaterThan(25);
        assertThat(checkEnums(SSM)).isGreaterThan(3);
    }

    @Test
    void everyEfsStructureAndEnumHasItsRecord() throws Exception {
        assertThat(checkStructures(EFS)).isGreaterThan(30);
        assertThat(checkEnums(EFS)).isGreaterThan(5);
    }

    @Test
    void everyElbv2StructureAndEnumHasItsRecord() throws Exception {
        assertThat(checkStructures(ELBV2)).isGreaterThan(100);
        assertThat(checkEnums(ELBV2)).isGreaterThan(15);
    }

    @Test
    void everyEcrStructureAndEnumHasItsRecord() throws Exception {
        assertThat(checkStructures(ECR)).isGreaterThan(100);
        assertThat(checkEnums(ECR)).isGreaterThan(10);
    }

    @Test
    void everySecretsManagerStructureAndEnumHasItsRecord() throws Exception {
        assertThat(checkStructures(SECRETS_MANAGER)).isGreaterThan(20);
        assertThat(checkEnums(SECRETS_MANAGER)).isGreaterThan(3);
    }

    @Test
    void everyLogsStructureAndEnumHasItsRecord() throws Exception {
        assertThat(checkStructures(LOGS)).isGreaterThan(20);
        assertThat(checkEnums(LOGS)).isGreaterThan(2);
    }

    /** The records generated from one spec into one package. */
    private record Generated(ServiceSpec spec, String packagePrefix) {
    }

    private static int checkStructures(Generated generated) throws Exception {
        ServiceSpec spec = generated.spec();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String name : spec.shapeNames()) {
            Shape shape = spec.shape(name);
            if (shape.type() != ShapeType.STRUCTURE || shape.exception()) {
                continue;
            }
            Class<?> type = Class.forName(generated.packagePrefix() + className(name));
            assertThat(type.isRecord()).as(name).isTrue();
            Map<String, Member> members = shape.members();
            RecordComponent[] components = type.getRecordComponents();
            if (components.length != members.size()) {
                problems.add(name + ": " + components.length + " components for " + members.size() + " members");
                continue;
            }
            for (RecordComponent c : components) {
                String wire = memberName(c);
                Member m = members.get(wire);
                if (m == null) {
                    problems.add(name + "." + c.getName() + " is no member of the spec");
                } else if (!matches(generated, c.getGenericType(), m.shape())) {
                    problems.add(name + "." + wire + ": " + c.getGenericType().getTypeName() + " for " + m.shape());
                }
            }
            checked++;
        }
        assertThat(problems).isEmpty();
        return checked;
    }

    private static int checkEnums(Generated generated) throws Exception {
        ServiceSpec spec = generated.spec();
        int checked = 0;
        for (String name : spec.shapeNames()) {
            Shape shape = spec.shape(name);
            if (shape.type() != ShapeType.STRING || shape.enumValues().isEmpty()) {
                continue;
            }
            Field values = Class.forName(generated.packagePrefix() + className(name)).getField("VALUES");
            assertThat(values.get(null)).as(name).isEqualTo(shape.enumValues());
            checked++;
        }
        return checked;
    }

    // The member a component stands for: its @JsonProperty, else its name without the suffix that
    // keeps Java keywords apart.
    private static String memberName(RecordComponent c) {
        JsonProperty property = c.getAccessor().getAnnotation(JsonProperty.class);
        if (property == null) {
            property = c.getAnnotation(JsonProperty.class);
        }
        if (property != null) {
            return property.value();
        }
        return c.getName().endsWith("_") ? c.getName().substring(0, c.getName().length() - 1) : c.getName();
    }

    private static boolean matches(Generated generated, Type javaType, String shapeName) {
        Shape shape = generated.spec().shape(shapeName);
        return switch (shape.type()) {
            case STRING -> javaType == String.class;
            case INTEGER -> javaType == Integer.class;
            case LONG -> javaType == Long.class;
            case BOOLEAN -> javaType == Boolean.class;
            case DOUBLE, FLOAT -> javaType == Double.class;
            case TIMESTAMP -> javaType == Instant.class;
            case BLOB -> javaType == byte[].class;
            case LIST -> javaType instanceof ParameterizedType p && p.getRawType() == List.class
                    && matches(generated, p.getActualTypeArguments()[0], shape.member().orElseThrow().shape());
            case MAP -> javaType instanceof ParameterizedType p && p.getRawType() == Map.class
                    && matches(generated, p.getActualTypeArguments()[0], shape.key().orElseThrow().shape())
                    && matches(generated, p.getActualTypeArguments()[1], shape.value().orElseThrow().shape());
            case STRUCTURE -> javaType instanceof Class<?> c
                    && (c.getName().equals(generated.packagePrefix() + className(shapeName)) || c == Object.class);
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
