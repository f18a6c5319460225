package dev.stevedore.control.ec2.query;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GlobTest {

    @ParameterizedTest(name = "''{0}'' against ''{1}'' is {2}")
    @CsvSource({
            "web,web,true", "web,webs,false", "web,we,false",
            "web*,web,true", "web*,website,true", "web*,a-web,false",
            "*web,a-web,true", "*web*,xwebx,true", "*,'',true", "'',x,false",
            "w?b,wab,true", "w?b,wb,false", "w?b,waab,false",
            "a*b*c,abc,true", "a*b*c,a-b-x-c,true", "a*b*c,acb,false", "a*b*c,a-b-x-c-b,false",
            "prod-*-?,prod-eu-1,true", "prod-*-?,prod-eu-12,false", "prod-*-??,prod-eu-12,true", "prod-*-?,prod-eu-,false",
            "'\\*',*,true", "'\\*',x,false", "'a\\?',a?,true", "'a\\?',ab,false", "'a\\b',a\\b,true",
    })
    void ec2Wildcards(String pattern, String value, boolean matches) {
        assertThat(Filters.Glob.of(pattern).matches(value)).isEqualTo(matches);
    }

    @Test
    void aLongValueIsMatchedWithoutARegularExpression() {
        String value = "x".repeat(300_000);
        assertThat(Filters.Glob.of(value).matches(value)).isTrue();
        assertThat(Filters.Glob.of(value).matches(value + "y")).isFalse();
        assertThat(Filters.Glob.of("*x*x*x*x*x*x*x*x*y").matches("x".repeat(2_000))).isFalse();
    }
}
