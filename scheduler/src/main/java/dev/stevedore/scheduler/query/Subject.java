package dev.stevedore.scheduler.query;

import static dev.stevedore.scheduler.query.Operator.*;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fields a cluster query can test, with the operators each allows.
 *
 * <p>The operator sets follow the developer guide's "Valid operators" lists. The guide lists none
 * for {@code task:group} and {@code attribute:}; we allow every operator on attributes and the
 * equality, list, pattern and existence operators on task groups, which have no order.
 */
enum Subject {
    AGENT_CONNECTED("agentConnected", EnumSet.of(EQUALS, NOT_EQUALS, IN, NOT_IN, MATCHES, NOT_MATCHES)),
    AGENT_VERSION("agentVersion", ordered()),
    EC2_INSTANCE_ID("ec2InstanceId", EnumSet.of(EQUALS, NOT_EQUALS, IN, NOT_IN, MATCHES, NOT_MATCHES)),
    REGISTERED_AT("registeredAt", ordered()),
    RUNNING_TASKS_COUNT("runningTasksCount", ordered()),
    TASK_GROUP("task:group",
            EnumSet.of(EQUALS, NOT_EQUALS, IN, NOT_IN, MATCHES, NOT_MATCHES, EXISTS, NOT_EXISTS)),
    ATTRIBUTE("attribute:", EnumSet.allOf(Operator.class));

    static final String ATTRIBUTE_PREFIX = "attribute:";

    final String spelling;
    final Set<Operator> operators;

    Subject(String spelling, Set<Operator> operators) {
        this.spelling = spelling;
        this.operators = operators;
    }

    private static EnumSet<Operator> ordered() {
        return EnumSet.of(EQUALS, NOT_EQUALS, GREATER_THAN, GREATER_THAN_EQUAL, LESS_THAN, LESS_THAN_EQUAL);
    }

    /** The subject a word names; attribute subjects are recognised by their prefix. */
    static Optional<Subject> of(String word) {
        if (word.startsWith(ATTRIBUTE_PREFIX)) {
            return Optional.of(ATTRIBUTE);
        }
        for (Subject s : values()) {
            if (s != ATTRIBUTE && s.spelling.equals(word)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    String allowedOperators() {
        return operators.stream().map(Operator::display).collect(Collectors.joining(", "));
    }
}
