package dev.stevedore.control.sts;

import java.util.Objects;

/** A join token as handed to the operator once: the whole token (with its secret) and its record. */
public record IssuedJoinToken(String token, JoinTokenRecord record) {
    public IssuedJoinToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(record, "record");
    }

    @Override
    public String toString() {
        return "IssuedJoinToken[" + record.tokenId() + "]";
    }
}
