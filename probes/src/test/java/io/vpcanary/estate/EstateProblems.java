package io.vpcanary.estate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

/** What validation says about an estate text that must be rejected, for the estate tests. */
final class EstateProblems {

    static final Path FILE = Path.of("estate.yaml");

    private EstateProblems() {
    }

    /** The problems of {@code yaml}, which must be rejected with exactly {@code count} of them. */
    static List<EstateException.Problem> problems(String yaml, int count) {
        try {
            EstateLoader.parse(FILE, yaml);
        } catch (EstateException e) {
            assertThat(e.problems()).as(e.getMessage()).hasSize(count);
            return e.problems();
        }
        throw new AssertionError("expected the estate to be rejected");
    }

    /** The one problem of {@code yaml}. */
    static EstateException.Problem onlyProblem(String yaml) {
        return problems(yaml, 1).getFirst();
    }

    /** The 1-based line of the first occurrence of {@code needle} in {@code text}. */
    static int lineOf(String text, String needle) {
        int idx = text.indexOf(needle);
        return (int) text.substring(0, idx).chars().filter(c -> c == '\n').count() + 1;
    }
}
