package dev.stevedore.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.stevedore.agent.runtime.ContainerRuntimeException.Kind;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class DockerErrorsTest {

    @Test
    void engineMessageIsTakenOutOfTheResponseBody() {
        NotFoundException e = new NotFoundException("Status 404: {\"message\":\"No such container: web\"}\n");

        assertThat(DockerErrors.engineMessage(e)).isEqualTo("No such container: web");
    }

    @Test
    void statusCodesDecideTheKind() {
        assertThat(DockerErrors.translate(new NotFoundException("Status 404: {\"message\":\"x\"}"), Kind.START_FAILED).kind())
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(DockerErrors.translate(new ConflictException("Status 409: {\"message\":\"in use\"}"), Kind.CREATE_FAILED).kind())
                .isEqualTo(Kind.CONFLICT);
        ContainerRuntimeException other = DockerErrors.translate(
                new InternalServerErrorException("Status 500: {\"message\":\"OCI runtime create failed\"}"), Kind.START_FAILED);
        assertThat(other.kind()).isEqualTo(Kind.START_FAILED);
        assertThat(other.getMessage()).isEqualTo("OCI runtime create failed");
    }

    @Test
    void transportFailureMeansTheEngineIsUnavailable() {
        RuntimeException e = new UncheckedIOException(new ConnectException("Connection refused"));

        assertThat(DockerErrors.translate(e, Kind.CREATE_FAILED).kind()).isEqualTo(Kind.ENGINE_UNAVAILABLE);
    }

    @Test
    void messagesWithoutBodyAreKeptAsTheyAre() {
        assertThat(DockerErrors.engineMessage(new RuntimeException("plain words"))).isEqualTo("plain words");
        assertThat(DockerErrors.engineMessage(new RuntimeException("Status 500: not json"))).isEqualTo("not json");
    }
}
