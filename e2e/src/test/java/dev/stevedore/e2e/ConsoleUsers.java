package dev.stevedore.e2e;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** The console tests' signed-in people: the root of an in-process server, IAM users it makes, sign-ins over HTTP. */
final class ConsoleUsers {

    private ConsoleUsers() {
    }

    static StaticCredentialsProvider rootCredentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(InProcessStevedore.ACCESS_KEY,
                InProcessStevedore.SECRET_KEY));
    }

    static IamClient rootIam(InProcessStevedore server) {
        return IamClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(rootCredentials()).build();
    }

    /** A new IAM user allowed {@code actions} (quoted and comma-separated) on every resource, and its key. */
    static AccessKey userAllowed(InProcessStevedore server, String name, String actions) {
        try (IamClient iam = rootIam(server)) {
            iam.createUser(b -> b.userName(name));
            iam.putUserPolicy(b -> b.userName(name).policyName("console").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[" + actions
                            + "],\"Resource\":\"*\"}]}"));
            return iam.createAccessKey(b -> b.userName(name)).accessKey();
        }
    }

    /**
     * The console's sign-in form at {@code consoleBase} ({@code …/console/}), fetched and posted without a
     * browser: with the token the form carries and its cookie, as a browser would send them.
     */
    static HttpResponse<String> signIn(HttpClient http, String consoleBase, String accessKeyId, String secret)
            throws IOException, InterruptedException {
        SignInForm form = signInForm(http, consoleBase);
        return http.send(HttpRequest.newBuilder(URI.create(consoleBase + "signin"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", form.cookie())
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + URLEncoder.encode(form.token(), StandardCharsets.UTF_8)
                        + "&accessKeyId=" + URLEncoder.encode(accessKeyId, StandardCharsets.UTF_8)
                        + "&secretAccessKey=" + URLEncoder.encode(secret, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sign-in page's token and the cookie that holds it. */
    record SignInForm(String token, String cookie) {
    }

    static SignInForm signInForm(HttpClient http, String consoleBase) throws IOException, InterruptedException {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(consoleBase + "signin")).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        return new SignInForm(csrfOf(page.body()), cookie);
    }

    /** The CSRF token a console page's forms carry. */
    static String csrfOf(String page) {
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
                .matcher(page);
        if (!token.find()) {
            throw new AssertionError("the page's forms carry no CSRF token: " + page);
        }
        return token.group(1);
    }
}
