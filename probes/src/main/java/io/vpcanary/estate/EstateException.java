package io.vpcanary.estate;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An estate file that cannot be used. Each {@link Problem} names the file, the line and column, and the field
 * (a path such as {@code apis[0].regions[1].id}). The CLI prints {@link #getMessage()} and exits with status 2.
 */
public final class EstateException extends Exception {

    /** One problem in an estate file. {@code line} and {@code column} are 1-based; 0 when unknown. */
    public record Problem(Path file, int line, int column, String field, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column + ": " + (field.isEmpty() ? "" : field + ": ") + message;
        }
    }

    private final List<Problem> problems;

    public EstateException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
