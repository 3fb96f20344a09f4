package io.vpcanary.lab.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcanary.aws.ErrorCorpus;
import io.vpcanary.aws.ErrorCorpus.Entry;
import java.io.InputStream;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lab's rendered error answers against the corpus of real API Gateway answers (probes test resources), through
 * {@link Reply#aws}, the one path every error reply of the front doors and authorizers is built by.
 */
class AwsAnswersCorpusTest {

    static Stream<Entry> rendered() {
        return ErrorCorpus.entries().stream().filter(e -> e.lab() != null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void theLabAnswersAsAwsDoes(Entry e) {
        Reply r = Reply.aws(e.lab().name(), e.lab().values());

        assertThat(r.status()).as("status of %s", e.id()).isEqualTo(e.status());
        assertThat(r.headers().get("x-amzn-ErrorType")).as("x-amzn-ErrorType of %s", e.id()).isEqualTo(e.errorType());
        assertThat(e.bodyMatches(r.body())).as("body of %s: %s", e.id(), r.body()).isTrue();
        e.headers().forEach((name, pattern) -> assertThat(r.headers().get(name))
                .as("%s of %s", name, e.id()).isNotNull().matches(pattern));
    }

    @Test
    void theSampleValuesRenderTheSampleBody() {
        Entry e = ErrorCorpus.entry("iam-signature-expired");
        assertThat(Reply.aws(e.lab().name(), e.lab().values()).body()).isEqualTo(e.body());
    }

    @Test
    void everyAnswerTheLabCanRenderIsInTheCorpus() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/io/vpcanary/lab/aws-messages.properties")) {
            p.load(in);
        }
        Set<String> cases = p.stringPropertyNames().stream().filter(k -> k.endsWith(".status"))
                .map(k -> k.substring(0, k.length() - ".status".length())).collect(Collectors.toCollection(TreeSet::new));
        Set<String> inCorpus = rendered().map(e -> e.lab().name()).collect(Collectors.toSet());

        assertThat(inCorpus).containsExactlyInAnyOrderElementsOf(cases);
    }
}
