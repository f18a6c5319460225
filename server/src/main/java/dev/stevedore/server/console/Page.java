package dev.stevedore.server.console;

import dev.stevedore.awsproto.HttpResponse;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The console's answers: a page in its frame, a redirect after a change, a refusal. */
final class Page {
    /** No script but the console's own, no frames, nothing cached: a page shows one user's view. */
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private Page() {
    }

    /**
     * A page: {@code live} is the part that the page's event stream refreshes, {@code actions} the
     * forms beside it (outside the refreshed part, so that what the user types survives an update).
     *
     * @param liveSource the event stream's address with its cluster, or empty for a page without one
     */
    static HttpResponse of(String title, View view, String liveSource, String actions, String live) {
        return frame(title, "<span class=\"who\">" + Html.text(view.who()) + "</span>"
                + "<form method=\"post\" action=\"/console/signout\" class=\"inline\">" + csrf(view.csrfToken())
                + "<button type=\"submit\" id=\"signout\">Sign out</button></form>", liveSource, actions, live);
    }

    /** A page of no session (signing in). */
    static HttpResponse signedOut(String title, String content) {
        return frame(title, "", "", "", content);
    }

    private static HttpResponse frame(String title, String session, String liveSource, String actions, String live) {
        String body = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.text(title)
                + " · Stevedore</title><link rel=\"stylesheet\" href=\"/console/static/console.css\">"
                + "<script src=\"/console/static/console.js\" defer></script></head><body>"
                + "<header><a class=\"brand\" href=\"/console/clusters\">Stevedore</a>"
                + "<nav><a href=\"/console/clusters\">Clusters</a> <a href=\"/console/taskdefs\">Task definitions</a></nav>"
                + session
                + "</header><h1>" + Html.text(title) + "</h1>" + actions
                + "<main id=\"live\"" + (liveSource.isEmpty() ? "" : " data-live=\"" + Html.text(liveSource) + "\"")
                + ">" + live + "</main></body></html>";
        return html(200, body);
    }

    static HttpResponse html(int status, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/html; charset=utf-8");
        headers.put("Cache-Control", "no-store");
        headers.put("Content-Security-Policy", POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "same-origin");
        return new HttpResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** After a change: the browser asks for {@code location} (so a reload does not repeat the change). */
    static HttpResponse redirect(String location, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Location", location);
        headers.put("Cache-Control", "no-store");
        return new HttpResponse(303, headers, new byte[0]);
    }

    static HttpResponse redirect(String location) {
        return redirect(location, Map.of());
    }

    /** A hidden field with the session's CSRF token: in every form that changes something. */
    static String csrf(String token) {
        return "<input type=\"hidden\" name=\"_csrf\" value=\"" + Html.text(token) + "\">";
    }

    /** A message above a page's content: an error the API answered, or what was done. */
    static String notice(String kind, String message) {
        return message.isEmpty() ? "" : "<p class=\"" + kind + "\" role=\"status\">" + Html.text(message) + "</p>";
    }
}
