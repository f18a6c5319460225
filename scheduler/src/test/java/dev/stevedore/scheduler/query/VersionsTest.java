package dev.stevedore.scheduler.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionsTest {

    @ParameterizedTest
    @CsvSource({
        "1.14.5, 1.14.5, 0",
        "1.14, 1.14.0, 0",
        "1.9.0, 1.14.5, -1",
        "1.14.10, 1.14.9, 1",
        "2.0, 1.99.99, 1",
        "01.2, 1.2, 0",
        "1.2.0-rc1, 1.2.0, -1",
        "1.2.0-rc2, 1.2.0-rc1, 1",
        "123456789012345678901234567890.1, 123456789012345678901234567891.0, -1",
    })
    void comparesSegmentByNumberThenSuffix(String a, String b, int expected) {
        assertThat(Integer.signum(Versions.compare(a, b))).isEqualTo(expected);
        assertThat(Integer.signum(Versions.compare(b, a))).isEqualTo(-expected);
    }
}
