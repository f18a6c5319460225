package dev.stevedore.awsproto;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * The EC2 query protocol endpoint for one EC2 API version.
 *
 * <p>A {@link FormProtocolEndpoint} in EC2's {@linkplain FormDialect#EC2 dialect}: parameters are
 * read into a JSON tree keyed by member names, checked with {@link Ec2ValidationPolicy}, and the
 * handler's output (a generated {@code model.ec2} record or a tree) is answered as EC2 XML
 * ({@link Ec2XmlWriter}). Errors are EC2's XML error documents with the {@link AwsException}'s status
 * and code; an unexpected exception in a handler escapes to {@link AwsFrontDoor}, which answers it with
 * this endpoint's {@linkplain #internalError 500 InternalError}. Bodies larger than an API call may
 * carry never get here: the HTTP edge refuses them before reading them.
 */
public final class Ec2ProtocolEndpoint extends FormProtocolEndpoint {

    private static final String AUTH_FAILURE_MESSAGE = "AWS was not able to validate the provided access credentials";

    private final Ec2XmlWriter writer;

    /**
     * @param operations handlers by operation name; names must exist in the model, operations without a
     *                   handler answer {@code InvalidAction}
     */
    public Ec2ProtocolEndpoint(ServiceSpec spec, Map<String, JsonOperation> operations) {
        super(spec, "ec2", FormDialect.EC2, ValidationPolicy.ec2(), operations);
        this.writer = new Ec2XmlWriter(spec);
    }

    /**
     * True when the request's {@code Action} names an operation of this spec and its {@code Version} is
     * the spec's API version: IAM, STS and ELBv2 send the same kind of request, and the version is what
     * tells them apart.
     */
    @Override
    public boolean accepts(HttpRequest request) {
        // Any Action of this API version is EC2's to answer: one Stevedore does not serve gets EC2's
        // InvalidAction in EC2's XML, which the CLI and SDKs can read, not another protocol's error.
        return parametersOf(request).filter(p -> ofThisVersion(p) && p.get("Action").isPresent()).isPresent();
    }

    @Override
    Optional<OperationSpec> operationOf(FormParameters parameters) {
        return ofThisVersion(parameters) ? parameters.get("Action").flatMap(spec()::operation) : Optional.empty();
    }

    @Override
    AwsException notAFormRequest(HttpRequest request) {
        return AwsException.clientError("InvalidAction", "EC2 accepts only POST / with a form body or GET /, not "
                + request.method() + " " + request.path() + ".");
    }

    @Override
    byte[] answer(OperationSpec operation, JsonNode output, String requestId) {
        return writer.answer(operation, output, requestId);
    }

    // EC2's words for an action it does not have (boto/boto#1282, aws/aws-sdk-ruby#1636).
    @Override
    AwsException invalidAction(FormParameters parameters) {
        return AwsException.clientError("InvalidAction", "The action " + parameters.get("Action").orElse("")
                + " is not valid for this web service.");
    }

    /**
     * Writes an error as EC2 does. Signature failures get EC2's codes: an unknown key or a signature that
     * does not match is 401 {@code AuthFailure} "AWS was not able to validate the provided access
     * credentials" (aws/aws-sdk-java#2508, hashicorp/terraform#17273: 401, and EC2 answers a wrongly
     * scoped signature the same way, aws/aws-sdk-java-v2#2981); a signing time out of range or expired
     * temporary credentials is 400 {@code RequestExpired} "Request has expired." (aws/aws-sdk-java#1443,
     * aws/aws-sdk-go-v2#1674); no signature at all is 401 {@code MissingAuthenticationToken}, malformed
     * signature parameters 400 {@code IncompleteSignature} (the common errors of the EC2 API reference).
     */
    @Override
    public HttpResponse error(AwsException error, String requestId) {
        return errorResponse(error instanceof SigV4Exception signature ? inEc2Terms(signature) : error, requestId);
    }

    /** An error in EC2's XML, as is: signature errors are not translated. */
    static HttpResponse errorResponse(AwsException error, String requestId) {
        return xmlResponse(error.status(), Ec2XmlWriter.error(error.code(), error.getMessage(), requestId), requestId);
    }

    private static AwsException inEc2Terms(SigV4Exception error) {
        return switch (error.reason()) {
            case MISSING_AUTHENTICATION -> new AwsException("MissingAuthenticationToken", 401,
                    "The request must contain either a valid (registered) AWS access key ID or X.509 certificate.");
            case INCOMPLETE_SIGNATURE -> AwsException.clientError("IncompleteSignature", error.getMessage());
            case UNRECOGNIZED_CLIENT, SIGNATURE_MISMATCH, INVALID_CREDENTIAL_SCOPE ->
                    new AwsException("AuthFailure", 401, AUTH_FAILURE_MESSAGE);
            case SIGNATURE_EXPIRED, SIGNATURE_NOT_YET_CURRENT, EXPIRED_TOKEN ->
                    AwsException.clientError("RequestExpired", "Request has expired.");
        };
    }

    @Override
    public HttpResponse internalError(String requestId) {
        return internalError(requestId, "An internal error has occurred");
    }

    @Override
    public HttpResponse internalError(String requestId, String message) {
        return error(new AwsException("InternalError", 500, message), requestId);
    }
}
