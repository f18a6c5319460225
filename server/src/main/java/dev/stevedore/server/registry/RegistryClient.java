package dev.stevedore.server.registry;

import dev.stevedore.awsproto.AwsException;
import dev.stevedore.control.ecr.ImageRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ECR API's writes to the registry, over its HTTP API on the private port with a token Stevedore
 * signs for itself. Removing a single tag is the exception: distribution 2.8 has no API for it, so the
 * tag's link directory in the registry's storage (which Stevedore owns) is removed; the registry reads
 * tags from storage on every request, so the tag is gone at once.
 */
final class RegistryClient implements ImageRegistry {
    private static final String SELF = "arn:aws:iam::stevedore:ecr-api";

    private final String address;
    private final int privatePort;
    private final RegistryTokenSigner signer;
    private final RegistryStorage storage;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param address the front door's {@code host:port}, what repository URIs name
     * @param storage the registry's storage, for the tag links
     */
    RegistryClient(String address, int privatePort, RegistryTokenSigner signer, RegistryStorage storage) {
        this.address = address;
        this.privatePort = privatePort;
        this.signer = signer;
        this.storage = storage;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void putManifest(String repository, String reference, String mediaType, byte[] manifest) {
        HttpResponse<String> response = send(repository, HttpRequest.newBuilder(manifestUri(repository, reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        if (response.statusCode() == 201) {
            return;
        }
        if (response.body().contains("BLOB_UNKNOWN")) {
            throw AwsException.clientError("LayersNotFoundException",
                    "The image manifest references layers that are not in the repository: " + response.body().strip());
        }
        if (response.statusCode() == 400) {
            throw AwsException.clientError("InvalidParameterException",
                    "Invalid parameter at 'imageManifest' failed to satisfy constraint: '" + response.body().strip() + "'");
        }
        throw new IllegalStateException("the registry answered a manifest PUT with " + response.statusCode()
                + ": " + response.body());
    }

    @Override
    public void deleteManifest(String repository, String digest) {
        HttpResponse<String> response = send(repository, HttpRequest.newBuilder(manifestUri(repository, digest)).DELETE());
        if (response.statusCode() != 202 && response.statusCode() != 404) {
            throw new IllegalStateException("the registry answered a manifest DELETE with " + response.statusCode()
                    + ": " + response.body());
        }
    }

    @Override
    public void deleteTag(String repository, String tag) {
        Path dir = storage.tagDirectory(repository, tag);
        try (Stream<Path> walk = Files.exists(dir) ? Files.walk(dir) : Stream.empty()) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the tag " + tag + " of " + repository, e);
        }
    }

    private URI manifestUri(String repository, String reference) {
        return URI.create("http://127.0.0.1:" + privatePort + "/v2/" + repository + "/manifests/" + reference);
    }

    private HttpResponse<String> send(String repository, HttpRequest.Builder request) {
        String token = signer.sign(SELF, "", List.of(
                new RegistryTokenSigner.Grant(repository, List.of("pull", "push", "delete"))));
        try {
            return http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("the registry did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the registry", e);
        }
    }
}
