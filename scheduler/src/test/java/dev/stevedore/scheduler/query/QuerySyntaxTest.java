package dev.stevedore.scheduler.query;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuerySyntaxTest {

    private static AbstractThrowableAssert<?, ? extends Throwable> parsing(String query) {
        return assertThatThrownBy(() -> ClusterQuery.parse(query)).isInstanceOf(QuerySyntaxException.class);
    }

    private static void failsAt(String query, int position, String messageStart) {
        parsing(query)
                .hasMessageStartingWith(messageStart)
                .extracting(e -> ((QuerySyntaxException) e).position())
                .isEqualTo(position);
    }

    @Test
    void aMissingOperatorIsReportedAfterTheSubject() {
        failsAt("attribute:ecs.instance-type", 27,
                "Expected an operator after 'attribute:ecs.instance-type' at position 27");
        parsing("attribute:ecs.instance-type t2.small")
                .hasMessage("Expected an operator after 'attribute:ecs.instance-type' at position 28, found 't2.small'");
    }

    @Test
    void anEmptyQueryNeedsASubject() {
        failsAt("", 0, "Expected a subject such as attribute:<name> at position 0, found the end of the query");
        failsAt("   ", 3, "Expected a subject");
    }

    @Test
    void anUnknownSubjectListsTheKnownOnes() {
        failsAt("instanceType == t2.small", 0, "Unknown subject 'instanceType' at position 0; expected agentConnected");
    }

    @Test
    void anAttributeSubjectNeedsAName() {
        failsAt("attribute: == x", 10, "Expected an attribute name after 'attribute:' at position 10");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ec2InstanceId > i-1          | 14 | Operator '>' is not valid for subject 'ec2InstanceId' at position 14",
        "agentConnected exists        | 15 | Operator 'exists' is not valid for subject 'agentConnected'",
        "runningTasksCount in [1, 2]  | 18 | Operator 'in' is not valid for subject 'runningTasksCount'",
        "agentVersion =~ 1.*          | 13 | Operator '=~' is not valid for subject 'agentVersion'",
        "registeredAt not_exists      | 13 | Operator '!exists' is not valid for subject 'registeredAt'",
        "task:group >= a              | 11 | Operator '>=' is not valid for subject 'task:group'",
    })
    void operatorsAreCheckedPerSubject(String query, int position, String message) {
        failsAt(query.strip(), position, message);
    }

    @Test
    void aComparisonNeedsAValue() {
        failsAt("attribute:a ==", 14, "Expected a value after '==' at position 14, found the end of the query");
        failsAt("attribute:a == )", 15, "Expected a value after '=='");
    }

    @Test
    void listsBelongOnlyToInAndNotIn() {
        failsAt("attribute:a == [x]", 15, "A list is only allowed after in and not_in");
        failsAt("attribute:a in x", 15, "Expected a list such as [a, b] after 'in' at position 15, found 'x'");
    }

    @Test
    void listsMustBeWellFormed() {
        failsAt("attribute:a in []", 16, "Expected a value in the list at position 16, found ']'");
        failsAt("attribute:a in [x y]", 18, "Expected ',' or ']' at position 18, found 'y]'");
        failsAt("attribute:a in [x,", 18, "Expected a value in the list at position 18");
    }

    @Test
    void quotesMustBeClosed() {
        failsAt("attribute:a == 'open", 15, "Unterminated quoted value starting at position 15");
    }

    @Test
    void parenthesesMustBalance() {
        failsAt("(attribute:a exists", 19, "Expected ')', 'and' or 'or' at position 19, found the end of the query");
        failsAt("attribute:a exists)", 18, "Expected 'and', 'or' or the end of the query at position 18, found ')'");
    }

    @Test
    void connectivesNeedARightOperand() {
        failsAt("attribute:a exists and", 22, "Expected a subject such as attribute:<name> at position 22");
        failsAt("attribute:a exists ||", 21, "Expected a subject");
    }

    @Test
    void keywordsAreLowerCaseOnly() {
        failsAt("attribute:a exists AND attribute:b exists", 19, "Expected 'and', 'or' or the end of the query");
        failsAt("attribute:a EQUALS x", 12, "Expected an operator after 'attribute:a'");
    }

    @Test
    void keywordOperatorsAreWholeWords() {
        failsAt("attribute:a existsx", 12, "Expected an operator after 'attribute:a'");
        failsAt("attribute:a !inx [a]", 12, "Expected an operator");
    }

    @Test
    void anExistenceTestTakesNoValue() {
        failsAt("attribute:a exists yes", 19, "Expected 'and', 'or' or the end of the query at position 19, found 'yes'");
    }

    @Test
    void argumentsMustSuitTheSubject() {
        failsAt("registeredAt < yesterday", 15,
                "Expected a date such as 2018-06-18 or 2018-06-18T22:28:28Z after '<' at position 15, found 'yesterday'");
        failsAt("registeredAt < 2018-13-01", 15, "Expected a date");
        failsAt("runningTasksCount > many", 20, "Expected a whole number after '>' at position 20");
        failsAt("runningTasksCount > -1", 20, "Expected a whole number");
        failsAt("agentVersion < latest", 15, "Expected a version such as 1.14.5 after '<' at position 15");
    }

    @Test
    void patternsMustCompile() {
        failsAt("attribute:a =~ 'x(y'", 15, "Invalid regular expression (Unclosed group) at position 15");
    }

    @Test
    void anUnquotedPatternEndsAtAParenthesis() {
        failsAt("attribute:a =~ t2\\.(small)", 19, "Expected 'and', 'or' or the end of the query at position 19");
    }
}
