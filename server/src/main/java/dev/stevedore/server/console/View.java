package dev.stevedore.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.control.ecs.EcsScope;

/**
 * One signed-in request as the pages see it: who calls (every read and change is an API call as them),
 * the request, and the session's CSRF token for the forms the page shows.
 */
record View(ApiCalls.Caller caller, ConsoleRequest request, String csrfToken, ApiCalls ecs, ApiCalls logs) {

    JsonNode ecs(String operation, ObjectNode input) {
        return ecs.call(caller, operation, input);
    }

    JsonNode logs(String operation, ObjectNode input) {
        return logs.call(caller, operation, input);
    }

    EcsScope scope() {
        return new EcsScope(caller.principal().accountId(), caller.region());
    }

    String who() {
        return Html.lastPart(caller.principal().arn().replace(":root", ":root/root")) + " · " + caller.region();
    }

    /** The notice and error a redirect after a change passed along. */
    String notices() {
        return Page.notice("notice", request.query("notice")) + Page.notice("error", request.query("error"));
    }
}
