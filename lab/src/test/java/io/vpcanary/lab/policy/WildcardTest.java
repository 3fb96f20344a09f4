package io.vpcanary.lab.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WildcardTest {

    @ParameterizedTest(name = "''{0}'' ~ ''{1}'' ignoreCase={2} -> {3}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            # pattern          | text                | ignoreCase | matches
            ''                 | ''                  | false      | true
            ''                 | a                   | false      | false
            *                  | ''                  | false      | true
            *                  | anything/at:all     | false      | true
            **                 | ''                  | false      | true
            ?                  | ''                  | false      | false
            ?                  | a                   | false      | true
            ?                  | ab                  | false      | false
            ??                 | ab                  | false      | true
            a?c                | abc                 | false      | true
            a?c                | ac                  | false      | false
            a*c                | ac                  | false      | true
            a*c                | abbbc               | false      | true
            a*c                | abbbcd              | false      | false
            *c                 | abcabc              | false      | true
            a*b*c              | axxbyyc             | false      | true
            a*b*c              | axxcyyb             | false      | false
            a*a*a*a*b          | aaaaaaaaaaaaaaaaaaa | false      | false
            prod/*/orders      | prod/GET/orders     | false      | true
            prod/*/orders      | prod//orders        | false      | true
            prod/?*/orders     | prod//orders        | false      | false
            prod/*             | prod/               | false      | true
            prod/*             | prod                | false      | false
            */*/*              | a/b/c/d             | false      | true
            */*/*              | a/b                 | false      | false
            ABC                | abc                 | false      | false
            ABC                | abc                 | true       | true
            execute-api:*      | Execute-API:Invoke  | true       | true
            execute-api:in???e | execute-api:invoke  | false      | true
            a.c                | abc                 | false      | false
            [a]                | a                   | false      | false
            """)
    void matches(String pattern, String text, boolean ignoreCase, boolean expected) {
        assertThat(Wildcard.matches(pattern, text, ignoreCase)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "ARN ''{0}'' ~ ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            # pattern                         | text                                       | matches
            arn:aws:execute-api:r:1:a/p       | arn:aws:execute-api:r:1:a/p                | true
            arn:aws:execute-api:*:*:*         | arn:aws:execute-api:r:1:a/p                | true
            arn:aws:execute-api:*             | arn:aws:execute-api:r:1:a/p                | true
            arn:aws:execute-api:r*:a/p        | arn:aws:execute-api:r:1:a/p                | true
            arn:aws:execute-api:r*1:a/p       | arn:aws:execute-api:r:1:a/p                | false
            arn:aws:execute-api:?:?:a/p       | arn:aws:execute-api:r:1:a/p                | true
            arn:aws:execute-api:???:a/p       | arn:aws:execute-api:r:1:a/p                | false
            arn:aws:execute-api:r:1:a/*/x     | arn:aws:execute-api:r:1:a/p/q/x            | true
            arn:aws:execute-api:r:1:a/*x      | arn:aws:execute-api:r:1:a/p:x              | false
            arn:aws:execute-api:r:1:a/*       | arn:aws:execute-api:r:1:a/p:x              | true
            arn:aws:execute-api:r:1:a/p       | arn:aws:execute-api:r:1:a/P                | false
            arn:aws:execute-api:r:1:a/p       | arn:aws:execute-api:r:1:a/p/               | false
            """)
    void matchesArn(String pattern, String text, boolean expected) {
        assertThat(Wildcard.matchesArn(pattern, text)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aPathologicalPatternStaysFast() {
        String pattern = "*a".repeat(200) + "b";
        String text = "a".repeat(5_000);
        long start = System.nanoTime();
        assertThat(Wildcard.matches(pattern, text, false)).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
