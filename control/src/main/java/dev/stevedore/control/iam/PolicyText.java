package dev.stevedore.control.iam;

import dev.stevedore.policy.MalformedPolicyException;
import dev.stevedore.policy.PolicyDocument;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * Policy documents as IAM takes and gives them: checked against the grammar and IAM's size quotas
 * (counted in characters other than white space) on the way in, URL-encoded on the way out (IAM
 * answers documents that way; the AWS CLI decodes them, the SDKs hand them over as they came).
 */
public final class PolicyText {
    /** A managed policy version. */
    public static final int MANAGED_LIMIT = 6_144;
    /** All inline policies of one user together. */
    public static final int USER_INLINE_LIMIT = 2_048;
    /** All inline policies of one role together. */
    public static final int ROLE_INLINE_LIMIT = 10_240;
    /** A role's trust policy. */
    public static final int TRUST_LIMIT = 2_048;

    private PolicyText() {
    }

    /** Refuses a document that is not valid policy grammar, as IAM does: MalformedPolicyDocument with the parser's reason. */
    public static void checkGrammar(String document) {
        try {
            PolicyDocument.parse(document);
        } catch (MalformedPolicyException e) {
            throw IamErrors.malformedPolicy(e.getMessage());
        }
    }

    /** A managed policy version's document: grammar, then its size quota. */
    public static void checkManaged(String document) {
        checkGrammar(document);
        if (size(document) > MANAGED_LIMIT) {
            throw IamErrors.quota("PolicySize", MANAGED_LIMIT);
        }
    }

    /** A trust policy: grammar, then its size quota. */
    public static void checkTrust(String document) {
        checkGrammar(document);
        if (size(document) > TRUST_LIMIT) {
            throw IamErrors.quota("ACLSizePerRole", TRUST_LIMIT);
        }
    }

    /**
     * An inline policy of a user or role, with the entity's other inline policies (the quota holds for
     * all of them together).
     */
    public static void checkInline(String document, Collection<String> others, int limit, String kind, String name) {
        checkGrammar(document);
        long total = size(document) + others.stream().mapToLong(PolicyText::size).sum();
        if (total > limit) {
            throw IamErrors.limitExceeded("Maximum policy size of " + limit + " bytes exceeded for " + kind + " " + name);
        }
    }

    /** Characters that count against IAM's quotas: all but white space. */
    public static long size(String document) {
        return document.codePoints().filter(c -> !Character.isWhitespace(c)).count();
    }

    /** The document as IAM answers it: percent-encoded, spaces as {@code %20} (a client decodes with plain unquoting). */
    public static String encoded(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
