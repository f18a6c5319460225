package dev.stevedore.server;

import dev.stevedore.control.iam.SecretSealer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityKeyTest {
    @TempDir
    Path dataDir;

    @Test
    void madeOnceOwnerOnlyAndReadBackTheSame() throws Exception {
        byte[] key = IdentityKey.loadOrCreate(dataDir);
        assertThat(key).hasSize(SecretSealer.KEY_BYTES);
        Path file = dataDir.resolve("identity.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(IdentityKey.loadOrCreate(dataDir)).isEqualTo(key);
        // A secret sealed under it opens after a restart.
        String sealed = new SecretSealer(key).seal("secret", "AKIA1");
        assertThat(new SecretSealer(IdentityKey.loadOrCreate(dataDir)).open(sealed, "AKIA1")).isEqualTo("secret");
    }

    @Test
    void aKeyFileOthersMayReadIsRefused() throws Exception {
        IdentityKey.loadOrCreate(dataDir);
        Path file = dataDir.resolve("identity.key");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> IdentityKey.loadOrCreate(dataDir)).hasMessageContaining("chmod 600");
    }

    @Test
    void aDamagedKeyFileIsRefusedNotReplaced() throws Exception {
        Path file = dataDir.resolve("identity.key");
        Files.writeString(file, "c2hvcnQ=\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> IdentityKey.loadOrCreate(dataDir)).hasMessageContaining("not a Stevedore identity key");
        assertThat(Files.readString(file)).isEqualTo("c2hvcnQ=\n");
    }
}
