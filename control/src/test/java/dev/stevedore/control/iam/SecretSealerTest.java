package dev.stevedore.control.iam;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretSealerTest {
    final byte[] key = new byte[32];
    final SecretSealer sealer;

    SecretSealerTest() {
        Arrays.fill(key, (byte) 7);
        sealer = new SecretSealer(key);
    }

    @Test
    void opensWhatItSealedForTheSameContextOnly() {
        String sealed = sealer.seal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAEXAMPLE");
        assertThat(sealed).doesNotContain("wJalrXUtnFEMI");
        assertThat(sealer.open(sealed, "AKIAEXAMPLE")).isEqualTo("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assertThatThrownBy(() -> sealer.open(sealed, "AKIAOTHER")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachSealingIsFreshAndAnotherKeyCannotOpenIt() {
        String a = sealer.seal("secret", "ctx");
        assertThat(sealer.seal("secret", "ctx")).isNotEqualTo(a);
        byte[] other = key.clone();
        other[0] = 8;
        assertThatThrownBy(() -> new SecretSealer(other).open(a, "ctx")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void alteredCiphertextIsRefused() {
        String sealed = sealer.seal("secret", "ctx");
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        raw[raw.length - 1] ^= 1;
        String altered = "v1:" + Base64.getEncoder().encodeToString(raw);
        assertThatThrownBy(() -> sealer.open(altered, "ctx")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyMustBe256Bits() {
        assertThatThrownBy(() -> new SecretSealer(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
