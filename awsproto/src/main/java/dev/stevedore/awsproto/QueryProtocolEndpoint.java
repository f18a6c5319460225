package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS Query protocol endpoint for one service of protocol {@code query} (IAM, STS).
 *
 * <p>A {@link FormProtocolEndpoint} in the Query {@linkplain FormDialect#QUERY dialect}
 * ({@code Tags.member.1.Key}, {@code Attributes.entry.1.key}): parameters are read into a JSON tree
 * keyed by member names, checked with {@link QueryValidationPolicy} (400 {@code ValidationError}), and
 * the handler's output (a generated {@code model.iam} or {@code model.sts} record, or a tree) is
 * answered as {@code <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>} XML
 * ({@link QueryXmlWriter}).
 *
 * <p>Errors are {@code <ErrorResponse>} documents. A handler throws a modelled error with
 * {@link ServiceSpec#error}; an {@link AwsException} whose code names a modelled error, by its shape
 * name or its wire code, is answered with the model's code and HTTP status in any case
 * ({@code NoSuchEntityException} or {@code NoSuchEntity} → 404 {@code NoSuchEntity}), so the SDKs
 * raise their typed exception for it.
 */
public final class QueryProtocolEndpoint extends FormProtocolEndpoint {

    private final QueryXmlWriter writer;

    /**
     * @param operations handlers by operation name; names must exist in the model, operations without a
     *                   handler answer {@code InvalidAction}
     */
    public QueryProtocolEndpoint(ServiceSpec spec, Map<String, JsonOperation> operations) {
        super(spec, "query", FormDialect.QUERY, ValidationPolicy.query(), operations);
        this.writer = new QueryXmlWriter(spec);
    }

    /**
     * True when the request's {@code Version} is this spec's API version (any {@code Action}: one this
     * endpoint does not serve gets this service's {@code InvalidAction}), or when it has no
     * {@code Version} and its {@code Action} is an operation of this spec. A request of another version
     * is left to the endpoint of that version.
     */
    @Override
    public boolean accepts(HttpRequest request) {
        return parametersOf(request).filter(p -> p.get("Action").isPresent()
                && (ofThisVersion(p) || p.get("Version").isEmpty() && operationOf(p).isPresent())).isPresent();
    }

    @Override
    Optional<OperationSpec> operationOf(FormParameters parameters) {
        if (!ofThisVersion(parameters) && parameters.get("Version").isPresent()) {
            return Optional.empty();
        }
        return parameters.get("Action").flatMap(spec()::operation);
    }

    // The Query services' words for an action they do not have: "Could not find operation
    // GetSendStatistics for version 2012-12-01" (400 InvalidAction, Sender; aws/aws-cli#37).
    @Override
    AwsException invalidAction(FormParameters parameters) {
        return AwsException.clientError("InvalidAction", "Could not find operation "
                + parameters.get("Action").orElse("") + " for version " + parameters.get("Version").orElse(""));
    }

    @Override
    AwsException notAFormRequest(HttpRequest request) {
        return AwsException.clientError("InvalidAction", spec().serviceId() + " accepts only POST / with a form "
                + "body or GET /, not " + request.method() + " " + request.path() + ".");
    }

    @Override
    byte[] answer(OperationSpec operation, JsonNode output, String requestId) {
        return writer.answer(operation, output, requestId);
    }

    /**
     * Writes an error as IAM and STS do: a modelled error with its model's code and status, and
     * signature failures in their codes. An unknown access key is 403 {@code InvalidClientTokenId} "The
     * security token included in the request is invalid."; a signature that does not match, one signed
     * too long ago or too far ahead ("Signature expired: … is now earlier than …", aws/aws-cli#6676) and
     * a wrongly scoped one are 403 {@code SignatureDoesNotMatch} with the verifier's message; expired
     * temporary credentials are 403 {@code ExpiredToken} "The security token included in the request is
     * expired" (cfn-sphere/cfn-sphere#55 shows IAM's document, aws/aws-sdk-java-v2#1649 its 403); no
     * signature at all is 403 {@code MissingAuthenticationToken}, malformed signature parameters 400
     * {@code IncompleteSignature} (the common errors of the IAM and STS API references).
     */
    @Override
    public HttpResponse error(AwsException error, String requestId) {
        AwsException answered = error instanceof SigV4Exception signature ? inQueryTerms(signature) : modelled(error);
        return xmlResponse(answered.status(), writer.error(answered, requestId), requestId);
    }

    private AwsException modelled(AwsException error) {
        return spec().errorShape(error.code())
                .filter(shape -> !shape.errorCode().equals(error.code()) || shape.httpStatus() != error.status())
                .map(shape -> new AwsException(shape.errorCode(), shape.httpStatus(), error.getMessage(),
                        error.extraMembers(), error))
                .orElse(error);
    }

    private static AwsException inQueryTerms(SigV4Exception error) {
        return switch (error.reason()) {
            case MISSING_AUTHENTICATION -> new AwsException("MissingAuthenticationToken", 403,
                    "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.");
            case INCOMPLETE_SIGNATURE -> AwsException.clientError("IncompleteSignature", error.getMessage());
            case UNRECOGNIZED_CLIENT -> new AwsException("InvalidClientTokenId", 403, error.getMessage());
            case SIGNATURE_MISMATCH, INVALID_CREDENTIAL_SCOPE, SIGNATURE_EXPIRED, SIGNATURE_NOT_YET_CURRENT ->
                    new AwsException("SignatureDoesNotMatch", 403, error.getMessage());
            case EXPIRED_TOKEN -> new AwsException("ExpiredToken", 403, error.getMessage());
        };
    }

    /**
     * The Query services' 500 for a failure nobody expected: {@code InternalFailure} "The request
     * processing has failed because of an unknown error, exception or failure." (the common errors of
     * the IAM and STS API references), a {@code Receiver} fault.
     */
    @Override
    public HttpResponse internalError(String requestId) {
        return internalError(requestId, "The request processing has failed because of an unknown error, exception or failure.");
    }

    @Override
    public HttpResponse internalError(String requestId, String message) {
        return error(new AwsException("InternalFailure", 500, message), requestId);
    }

    /** An error in the Query XML of a service, for answers given before any endpoint is chosen. */
    static HttpResponse errorResponse(ServiceSpec spec, AwsException error, String requestId) {
        return xmlResponse(error.status(), QueryXmlWriter.error(spec, error, requestId), requestId);
    }
}
