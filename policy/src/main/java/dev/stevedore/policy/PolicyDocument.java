package dev.stevedore.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * A parsed IAM policy document (identity policy, trust policy or session policy).
 *
 * <p>Only the entry point is settled here: {@link #parse} turns the JSON text into a document or
 * refuses it with a {@link MalformedPolicyException}. The grammar and the evaluation grow in this
 * module, which stays pure (no store, no clock of its own).
 */
public final class PolicyDocument {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode tree;

    private PolicyDocument(JsonNode tree) {
        this.tree = tree;
    }

    /** Parses a policy document, or says why it is not one. */
    public static PolicyDocument parse(String text) {
        Objects.requireNonNull(text, "text");
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedPolicyException("Syntax errors in policy.");
        }
        if (tree == null || !tree.isObject()) {
            throw new MalformedPolicyException("Syntax errors in policy.");
        }
        if (!tree.has("Statement")) {
            throw new MalformedPolicyException("Missing required field Statement");
        }
        return new PolicyDocument(tree);
    }

    JsonNode tree() {
        return tree;
    }
}
