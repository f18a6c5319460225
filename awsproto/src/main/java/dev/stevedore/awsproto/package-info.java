/**
 * Generic AWS wire protocols for Stevedore's control plane, driven by the official service shapes.
 *
 * <p>The module turns plain HTTP request records into operation calls and answers into AWS-shaped
 * HTTP responses: the awsJson 1.0/1.1 protocol ({@link dev.stevedore.awsproto.JsonProtocolEndpoint}),
 * the EC2 query protocol ({@link dev.stevedore.awsproto.Ec2ProtocolEndpoint}), request validation against the service model ({@link dev.stevedore.awsproto.InputValidator}),
 * Signature Version 4 verification ({@link dev.stevedore.awsproto.SigV4Verifier}) and the front door
 * that ties them together ({@link dev.stevedore.awsproto.AwsFrontDoor}). For Stevedore's own clients
 * it also has the other side: a SigV4 signer ({@link dev.stevedore.awsproto.SigV4Signer}) and the
 * reading of awsJson errors ({@link dev.stevedore.awsproto.AwsErrorResponse}). It knows no service
 * semantics; handlers are supplied by the service packages of the control plane. There is no HTTP
 * server here: the server module adapts its listener to {@link dev.stevedore.awsproto.HttpRequest}
 * and {@link dev.stevedore.awsproto.HttpResponse}.
 */
package dev.stevedore.awsproto;
