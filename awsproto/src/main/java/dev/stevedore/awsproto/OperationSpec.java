package dev.stevedore.awsproto;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One operation of an AWS service model.
 *
 * @param name                    the operation name, e.g. {@code RunTask}
 * @param input                   the input shape name; absent for operations without input
 * @param output                  the output shape name; absent for operations without output
 * @param errors                  the modelled error shape names
 * @param httpMethod              the HTTP method of the REST binding (always {@code POST} for awsJson)
 * @param requestUri              the request URI template of the REST binding
 * @param responseCode            the success status when the model overrides 200
 * @param idempotencyTokenMember  the input member that carries an idempotency token, if any
 * @param resultWrapper           the element the Query protocol wraps the output members in
 *                                ({@code ListUsersResult}), when the model names one
 */
public record OperationSpec(String name, Optional<String> input, Optional<String> output, List<String> errors,
                            String httpMethod, String requestUri, Optional<Integer> responseCode,
                            Optional<String> idempotencyTokenMember, Optional<String> resultWrapper) {

    public OperationSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        errors = List.copyOf(errors);
        Objects.requireNonNull(httpMethod, "httpMethod");
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(responseCode, "responseCode");
        Objects.requireNonNull(idempotencyTokenMember, "idempotencyTokenMember");
        Objects.requireNonNull(resultWrapper, "resultWrapper");
    }
}
