package dev.stevedore.scheduler.query;

import static dev.stevedore.scheduler.TestInstances.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stevedore.scheduler.InstanceState;
import dev.stevedore.scheduler.TestInstances.InstanceBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterQueryTest {

    private static final InstanceState T2_SMALL_1A = instance("a")
            .attribute("ecs.instance-type", "t2.small").zone("us-east-1a").attribute("stack", "prod").build();
    private static final InstanceState T2_MEDIUM_1B = instance("b")
            .attribute("ecs.instance-type", "t2.medium").zone("us-east-1b").attribute("stack", "dev").build();
    private static final InstanceState G2_1C = instance("c")
            .attribute("ecs.instance-type", "g2.2xlarge").zone("us-east-1c").build();
    private static final InstanceState G2_1D = instance("d")
            .attribute("ecs.instance-type", "g2.8xlarge").zone("us-east-1d").build();
    private static final List<InstanceState> FLEET = List.of(T2_SMALL_1A, T2_MEDIUM_1B, G2_1C, G2_1D);

    private static List<String> selected(String query) {
        ClusterQuery parsed = ClusterQuery.parse(query);
        return FLEET.stream().filter(parsed::matches).map(InstanceState::id).toList();
    }

    private static boolean matches(String query, InstanceBuilder instance) {
        return ClusterQuery.parse(query).matches(instance.build());
    }

    @Nested
    class DeveloperGuideExamples {

        @Test
        void stringEqualitySelectsTheInstanceType() {
            assertThat(selected("attribute:ecs.instance-type == t2.small")).containsExactly("a");
        }

        @Test
        void argumentListSelectsEitherZone() {
            assertThat(selected("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"))
                    .containsExactly("a", "b");
        }

        @Test
        void compoundExpressionSelectsG2OutsideOneZone() {
            assertThat(selected("attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d"))
                    .containsExactly("c");
        }

        @Test
        void customAttributeEqualityAndInequalityBothNeedTheAttribute() {
            assertThat(selected("attribute:stack == prod")).containsExactly("a");
            assertThat(selected("attribute:stack != prod")).containsExactly("b");
        }

        @Test
        void multipleAttributeValues() {
            assertThat(selected("attribute:ecs.instance-type in [t2.small, t2.medium]")).containsExactly("a", "b");
        }

        @Test
        void multipleAttributes() {
            assertThat(selected("attribute:ecs.instance-type =~ t2.* and attribute:ecs.availability-zone == us-east-1a"))
                    .containsExactly("a");
        }

        @Test
        void taskAffinityAndAntiAffinity() {
            InstanceBuilder production = instance("p").group("service:production", 2);
            InstanceBuilder database = instance("db").group("database", 1);
            assertThat(matches("task:group == service:production", production)).isTrue();
            assertThat(matches("task:group == service:production", database)).isFalse();
            assertThat(matches("not(task:group == database)", production)).isTrue();
            assertThat(matches("not(task:group == database)", database)).isFalse();
        }

        @Test
        void runningTaskCount() {
            assertThat(matches("runningTasksCount == 1", instance("x").running(1))).isTrue();
            assertThat(matches("runningTasksCount == 1", instance("x").running(2))).isFalse();
        }

        @Test
        void agentVersionBelow() {
            assertThat(matches("agentVersion < 1.14.5", instance("x").agentVersion("1.9.0"))).isTrue();
            assertThat(matches("agentVersion < 1.14.5", instance("x").agentVersion("1.14.5"))).isFalse();
            assertThat(matches("agentVersion < 1.14.5", instance("x").agentVersion("1.80.0"))).isFalse();
        }

        @Test
        void registeredBeforeADate() {
            assertThat(matches("registeredAt < 2018-02-13", instance("x").registeredAt("2018-02-12T23:59:59Z")))
                    .isTrue();
            assertThat(matches("registeredAt < 2018-02-13", instance("x").registeredAt("2018-02-13T00:00:00Z")))
                    .isFalse();
        }

        @Test
        void ec2InstanceIdsInAQuotedList() {
            String query = "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']";
            assertThat(matches(query, instance("abcd1234"))).isTrue();
            assertThat(matches(query, instance("wxyx7890"))).isTrue();
            assertThat(matches(query, instance("other"))).isFalse();
        }
    }

    static Stream<Arguments> symbolAndKeywordSpellings() {
        return Stream.of(
                Arguments.of("attribute:n == 5", "attribute:n equals 5"),
                Arguments.of("attribute:n != 5", "attribute:n not_equals 5"),
                Arguments.of("attribute:n > 5", "attribute:n greater_than 5"),
                Arguments.of("attribute:n >= 5", "attribute:n greater_than_equal 5"),
                Arguments.of("attribute:n < 5", "attribute:n less_than 5"),
                Arguments.of("attribute:n <= 5", "attribute:n less_than_equal 5"),
                Arguments.of("attribute:n !exists", "attribute:n not_exists"),
                Arguments.of("attribute:n !in [4, 5]", "attribute:n not_in [4, 5]"),
                Arguments.of("attribute:n =~ '[45]'", "attribute:n matches '[45]'"),
                Arguments.of("attribute:n !~ '[45]'", "attribute:n not_matches '[45]'"),
                Arguments.of("attribute:n == 4 && attribute:n == 4", "attribute:n == 4 and attribute:n == 4"),
                Arguments.of("attribute:n == 4 || attribute:n == 6", "attribute:n == 4 or attribute:n == 6"),
                Arguments.of("!(attribute:n == 4)", "not (attribute:n == 4)"));
    }

    @ParameterizedTest
    @MethodSource("symbolAndKeywordSpellings")
    void symbolAndKeywordSpellingsSelectTheSameInstances(String symbol, String keyword) {
        for (String value : List.of("3", "4", "5", "6", "55")) {
            InstanceState instance = instance("x").attribute("n", value).build();
            assertThat(ClusterQuery.parse(symbol).matches(instance))
                    .as("%s vs %s on n=%s", symbol, keyword, value)
                    .isEqualTo(ClusterQuery.parse(keyword).matches(instance));
        }
        InstanceState without = instance("x").build();
        assertThat(ClusterQuery.parse(symbol).matches(without)).isEqualTo(ClusterQuery.parse(keyword).matches(without));
    }

    @ParameterizedTest
    @CsvSource({
        "attribute:n == 5, 5, true", "attribute:n == 5, 6, false",
        "attribute:n != 5, 6, true", "attribute:n != 5, 5, false",
        "attribute:n > 5, 10, true", "attribute:n > 5, 5, false",
        "attribute:n >= 5, 5, true", "attribute:n >= 5, 4, false",
        "attribute:n < 5, 4, true", "attribute:n < 5, 10, false",
        "attribute:n <= 5, 5, true", "attribute:n <= 5, 6, false",
        "attribute:n exists, 5, true",
        "attribute:n in [4; 5], 5, true", "attribute:n in [4; 6], 5, false",
        "attribute:n not_in [4; 6], 5, true", "attribute:n !in [4; 5], 5, false",
        "attribute:n =~ 5.*, 55, true", "attribute:n =~ 5, 55, false",
        "attribute:n !~ 5, 55, true", "attribute:n !~ 5.*, 55, false",
    })
    void eachOperatorOnAnAttribute(String query, String value, boolean expected) {
        String parsed = query.replace(';', ',');
        assertThat(ClusterQuery.parse(parsed).matches(instance("x").attribute("n", value).build())).isEqualTo(expected);
    }

    @Nested
    class Attributes {

        @Test
        void anAbsentAttributeSatisfiesOnlyNotExistsAndNegation() {
            InstanceBuilder without = instance("x");
            for (String query : List.of("attribute:n == 1", "attribute:n != 1", "attribute:n > 1", "attribute:n in [1]",
                    "attribute:n !in [1]", "attribute:n =~ .*", "attribute:n !~ x", "attribute:n exists")) {
                assertThat(matches(query, without)).as(query).isFalse();
            }
            assertThat(matches("attribute:n !exists", without)).isTrue();
            assertThat(matches("not attribute:n == 1", without)).isTrue();
        }

        @Test
        void anAttributeWithoutValueExistsAndEqualsTheEmptyQuotedValue() {
            InstanceBuilder valueless = instance("x").attribute("ecs.capability.task-eni");
            assertThat(matches("attribute:ecs.capability.task-eni exists", valueless)).isTrue();
            assertThat(matches("attribute:ecs.capability.task-eni == ''", valueless)).isTrue();
        }

        @Test
        void orderingIsNumericWhenBothSidesAreNumbers() {
            assertThat(matches("attribute:n > 9", instance("x").attribute("n", "10"))).isTrue();
            assertThat(matches("attribute:n < -1.5", instance("x").attribute("n", "-2"))).isTrue();
        }

        @Test
        void orderingIsLexicalOtherwise() {
            assertThat(matches("attribute:n > 9x", instance("x").attribute("n", "10"))).isFalse();
            assertThat(matches("attribute:tier > bronze", instance("x").attribute("tier", "silver"))).isTrue();
        }

        @Test
        void equalityIsTextualEvenForNumbers() {
            assertThat(matches("attribute:n == 1", instance("x").attribute("n", "1.0"))).isFalse();
        }

        @Test
        void matchesMustMatchTheWholeValue() {
            assertThat(matches("attribute:ecs.instance-type =~ t2", instance("x").attribute("ecs.instance-type", "t2.small")))
                    .isFalse();
            assertThat(matches("attribute:ecs.instance-type =~ 't2\\.(small|micro)'",
                    instance("x").attribute("ecs.instance-type", "t2.small"))).isTrue();
        }

        @Test
        void quotedValuesMayHoldSpacesQuotesAndOperators() {
            assertThat(matches("attribute:team == 'data science'", instance("x").attribute("team", "data science")))
                    .isTrue();
            assertThat(matches("attribute:quote == 'it''s'", instance("x").attribute("quote", "it's"))).isTrue();
            assertThat(matches("attribute:expr == 'a && b'", instance("x").attribute("expr", "a && b"))).isTrue();
        }

        @Test
        void namesMayContainTheCharactersECSAllows() {
            assertThat(matches("attribute:com.example/team_a\\b-1 == x",
                    instance("x").attribute("com.example/team_a\\b-1", "x"))).isTrue();
        }
    }

    @Nested
    class OtherSubjects {

        @Test
        void agentConnectedComparesAsTrueOrFalse() {
            assertThat(matches("agentConnected == true", instance("x"))).isTrue();
            assertThat(matches("agentConnected == false", instance("x").disconnected())).isTrue();
            assertThat(matches("agentConnected != true", instance("x").disconnected())).isTrue();
            assertThat(matches("agentConnected in [false]", instance("x").disconnected())).isTrue();
            assertThat(matches("agentConnected =~ t.*", instance("x"))).isTrue();
        }

        @Test
        void ec2InstanceIdSupportsEqualityListsAndPatterns() {
            assertThat(matches("ec2InstanceId == i-abc", instance("abc"))).isTrue();
            assertThat(matches("ec2InstanceId != i-abc", instance("abc"))).isFalse();
            assertThat(matches("ec2InstanceId !in [i-x, i-y]", instance("abc"))).isTrue();
            assertThat(matches("ec2InstanceId =~ i-a.*", instance("abc"))).isTrue();
            assertThat(matches("ec2InstanceId !~ i-a.*", instance("abc"))).isFalse();
        }

        @Test
        void agentVersionComparesSegmentsAsNumbers() {
            InstanceBuilder agent = instance("x").agentVersion("1.10.0");
            assertThat(matches("agentVersion > 1.9.9", agent)).isTrue();
            assertThat(matches("agentVersion >= 1.10", agent)).isTrue();
            assertThat(matches("agentVersion == 1.10", agent)).isTrue();
            assertThat(matches("agentVersion != 1.10.0", agent)).isFalse();
            assertThat(matches("agentVersion <= 1.10.0", agent)).isTrue();
        }

        @Test
        void anUnknownAgentVersionMatchesNoComparison() {
            InstanceBuilder unknown = instance("x").agentVersion("");
            assertThat(matches("agentVersion < 99", unknown)).isFalse();
            assertThat(matches("agentVersion != 1.0", unknown)).isFalse();
        }

        @ParameterizedTest
        @CsvSource({
            "2018-06-18T22:28:28+00:00", "2018-06-18T22:28:28Z", "2018-06-18T22:28:28", "2018-06-19T00:28:28+02:00"
        })
        void registeredAtAcceptsEveryDocumentedDateForm(String literal) {
            InstanceBuilder instance = instance("x").registeredAt("2018-06-18T22:28:28Z");
            assertThat(matches("registeredAt == " + literal, instance)).isTrue();
            assertThat(matches("registeredAt >= " + literal, instance)).isTrue();
            assertThat(matches("registeredAt > " + literal, instance)).isFalse();
        }

        @Test
        void aBareDateMeansItsFirstInstantInUtc() {
            InstanceBuilder instance = instance("x").registeredAt("2018-06-18T00:00:00Z");
            assertThat(matches("registeredAt == 2018-06-18", instance)).isTrue();
            assertThat(matches("registeredAt <= 2018-06-18", instance)).isTrue();
            assertThat(matches("registeredAt < 2018-06-18", instance)).isFalse();
        }

        @Test
        void runningTasksCountComparesAsNumbers() {
            InstanceBuilder busy = instance("x").running(12);
            assertThat(matches("runningTasksCount > 9", busy)).isTrue();
            assertThat(matches("runningTasksCount <= 12", busy)).isTrue();
            assertThat(matches("runningTasksCount != 12", busy)).isFalse();
            assertThat(matches("runningTasksCount < 12", busy)).isFalse();
        }

        @Test
        void taskGroupOperatorsAskWhetherSomeGroupOnTheInstanceQualifies() {
            InstanceBuilder web = instance("x").group("service:web", 1).group("family:batch", 2);
            assertThat(matches("task:group in [service:api, service:web]", web)).isTrue();
            assertThat(matches("task:group not_in [service:api, service:web]", web)).isFalse();
            assertThat(matches("task:group != database", web)).isTrue();
            assertThat(matches("task:group != service:web", web)).isFalse();
            assertThat(matches("task:group =~ family:.*", web)).isTrue();
            assertThat(matches("task:group !~ family:.*", web)).isFalse();
            assertThat(matches("task:group exists", web)).isTrue();
            assertThat(matches("task:group !exists", instance("empty"))).isTrue();
        }
    }

    @Nested
    class Connectives {

        @Test
        void andBindsTighterThanOr() {
            // a or (b and c): true for a alone
            String query = "attribute:a exists or attribute:b exists and attribute:c exists";
            assertThat(matches(query, instance("x").attribute("a"))).isTrue();
            assertThat(matches(query, instance("x").attribute("b"))).isFalse();
            assertThat(matches(query, instance("x").attribute("b").attribute("c"))).isTrue();
        }

        @Test
        void parenthesesOverridePrecedence() {
            String query = "(attribute:a exists or attribute:b exists) and attribute:c exists";
            assertThat(matches(query, instance("x").attribute("a"))).isFalse();
            assertThat(matches(query, instance("x").attribute("a").attribute("c"))).isTrue();
        }

        @Test
        void notAppliesToTheNearestOperand() {
            String query = "not attribute:a exists and attribute:b exists";
            assertThat(matches(query, instance("x").attribute("b"))).isTrue();
            assertThat(matches(query, instance("x").attribute("a").attribute("b"))).isFalse();
            assertThat(matches("!!attribute:a exists", instance("x").attribute("a"))).isTrue();
        }

        @Test
        void spacingIsOptionalAroundSymbols() {
            assertThat(matches("(attribute:a==1)&&(attribute:b!=2)||runningTasksCount>5",
                    instance("x").attribute("a", "1").attribute("b", "3"))).isTrue();
            assertThat(matches("  attribute:a   in[1,2]  ", instance("x").attribute("a", "2"))).isTrue();
        }
    }

    @Test
    void queriesAreEqualWhenTheirTextIs() {
        assertThat(ClusterQuery.parse("runningTasksCount == 1")).isEqualTo(ClusterQuery.parse("runningTasksCount == 1"));
        assertThat(ClusterQuery.parse("runningTasksCount == 1").source()).isEqualTo("runningTasksCount == 1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "attribute:stack == prod and agentVersion >= 1.50 | false",
        "ec2InstanceId in [i-1, i-2] or registeredAt < 2024-01-01 | false",
        "not(agentConnected == false) | false",
        "runningTasksCount < 3 | true",
        "attribute:stack == prod and not(task:group == service:db) | true",
        "(attribute:a exists or (attribute:b exists and task:group exists)) | true",
    })
    void aQueryReadsTasksWhenItNamesTaskCountsOrGroups(String query, boolean readsTasks) {
        assertThat(ClusterQuery.parse(query).readsTasks()).isEqualTo(readsTasks);
    }
}
