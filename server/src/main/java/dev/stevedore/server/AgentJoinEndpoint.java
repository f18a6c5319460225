package dev.stevedore.server;

import static dev.stevedore.server.OwnEndpointAnswers.error;
import static dev.stevedore.server.OwnEndpointAnswers.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.awsproto.AwsJson;
import dev.stevedore.awsproto.HttpRequest;
import dev.stevedore.awsproto.HttpResponse;
import dev.stevedore.awsproto.Principal;
import dev.stevedore.awsproto.SigV4Exception;
import dev.stevedore.awsproto.SigV4Verifier;
import dev.stevedore.control.sts.AgentSession;
import dev.stevedore.control.sts.IssuedJoinToken;
import dev.stevedore.control.sts.JoinRefusedException;
import dev.stevedore.control.sts.JoinTokenRecord;
import dev.stevedore.control.sts.JoinTokens;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Stevedore's own endpoints for agents that join with a token, beside the AWS APIs (no AWS API has
 * them: on AWS an instance gets its role's credentials from the instance metadata service):
 * <ul>
 *   <li>{@code POST /_stevedore/agent/join}, unsigned, {@code {"joinToken": T}}: the token is the credential;
 *       answers instance-role credentials;</li>
 *   <li>{@code POST /_stevedore/agent/credentials}, SigV4-signed with a joined agent's current credentials:
 *       fresh ones;</li>
 *   <li>{@code POST /_stevedore/join-tokens} ({@code {"cluster", "ttlSeconds"}}), {@code .../list},
 *       {@code .../revoke} ({@code {"tokenId"}}): the account root manages tokens ({@code stevedore token}).</li>
 * </ul>
 * Errors are awsJson-style bodies ({@code __type}, {@code message}) so that the agent and the command
 * read them like the ECS API's.
 */
final class AgentJoinEndpoint {
    static final String JOIN = "/_stevedore/agent/join";
    static final String REFRESH = "/_stevedore/agent/credentials";
    static final String TOKENS = "/_stevedore/join-tokens";
    static final String TOKENS_LIST = TOKENS + "/list";
    static final String TOKENS_REVOKE = TOKENS + "/revoke";

    private final JoinTokens tokens;
    private final SigV4Verifier verifier;

    AgentJoinEndpoint(JoinTokens tokens, SigV4Verifier verifier) {
        this.tokens = tokens;
        this.verifier = verifier;
    }

    boolean accepts(HttpRequest request) {
        return switch (request.path()) {
            case JOIN, REFRESH, TOKENS, TOKENS_LIST, TOKENS_REVOKE -> true;
            default -> false;
        };
    }

    HttpResponse handle(HttpRequest request) {
        if (!"POST".equals(request.method())) {
            return json(405, error("MethodNotAllowed", "Use POST " + request.path() + "."));
        }
        try {
            return switch (request.path()) {
                case JOIN -> json(200, session(tokens.exchange(text(body(request), "joinToken"))));
                case REFRESH -> json(200, session(tokens.refresh(signer(request))));
                case TOKENS -> json(200, created(createToken(request)));
                case TOKENS_LIST -> json(200, list(root(request)));
                default -> json(200, record(tokens.revoke(root(request).accountId(), text(body(request), "tokenId"))));
            };
        } catch (SigV4Exception e) {
            return json(403, error(e.code(), e.getMessage()));
        } catch (JoinRefusedException e) {
            return json(403, error("AccessDeniedException", e.getMessage()));
        } catch (IllegalArgumentException e) {
            return json(400, error("InvalidParameterException", e.getMessage()));
        }
    }

    private IssuedJoinToken createToken(HttpRequest request) {
        Principal root = root(request);
        JsonNode body = body(request);
        Optional<String> cluster = Optional.ofNullable(body.get("cluster")).filter(JsonNode::isTextual)
                .map(JsonNode::asText).filter(c -> !c.isBlank());
        Duration ttl = Optional.ofNullable(body.get("ttlSeconds")).filter(JsonNode::canConvertToLong)
                .map(n -> Duration.ofSeconds(n.asLong())).orElse(JoinTokens.DEFAULT_TTL);
        return tokens.create(root.accountId(), cluster, ttl);
    }

    private Principal signer(HttpRequest request) {
        return verifier.verify(request).principal();
    }

    private Principal root(HttpRequest request) {
        Principal caller = signer(request);
        if (!caller.isRoot()) {
            throw new JoinRefusedException("Only the account root manages join tokens; " + caller.arn() + " is not it.");
        }
        return caller;
    }

    private static JsonNode body(HttpRequest request) {
        if (request.body().length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode body = AwsJson.mapper().readTree(request.body());
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("The body must be a JSON object.");
            }
            return body;
        } catch (IOException e) {
            throw new IllegalArgumentException("The body is not JSON.");
        }
    }

    private static String text(JsonNode body, String member) {
        JsonNode value = body.get(member);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("'" + member + "' is required.");
        }
        return value.asText();
    }

    private static ObjectNode session(AgentSession session) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("accessKeyId", session.credentials().accessKeyId());
        out.put("secretAccessKey", session.credentials().secretAccessKey());
        out.put("sessionToken", session.credentials().sessionToken());
        out.put("expiration", session.credentials().expiration().toString());
        out.put("roleArn", session.roleArn());
        out.put("cluster", session.cluster().orElse(""));
        return out;
    }

    private static ObjectNode created(IssuedJoinToken issued) {
        ObjectNode out = record(issued.record());
        out.put("joinToken", issued.token());
        return out;
    }

    private ObjectNode list(Principal root) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode all = out.putArray("joinTokens");
        tokens.list(root.accountId()).forEach(r -> all.add(record(r)));
        return out;
    }

    private static ObjectNode record(JoinTokenRecord record) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("tokenId", record.tokenId());
        out.put("cluster", record.cluster().orElse(""));
        out.put("createdAt", record.createdAt().toString());
        out.put("expiresAt", record.expiresAt().toString());
        record.usedAt().ifPresent(at -> out.put("usedAt", at.toString()));
        record.revokedAt().ifPresent(at -> out.put("revokedAt", at.toString()));
        return out;
    }
}
