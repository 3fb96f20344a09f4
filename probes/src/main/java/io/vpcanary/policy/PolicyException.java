package io.vpcanary.policy;

/**
 * A resource policy that vpcanary refuses: malformed, or using something the lab cannot evaluate faithfully. The
 * message reads {@code invalid resource policy at {pointer}: {problem}}; {@link #pointer()} and {@link #problem()}
 * give the parts, so that {@code vpcanary validate} can name the file, line and column of the problem.
 */
public final class PolicyException extends IllegalArgumentException {

    private final String pointer;
    private final String problem;

    PolicyException(String pointer, String problem) {
        super("invalid resource policy at " + (pointer.isEmpty() ? "/" : pointer) + ": " + problem);
        this.pointer = pointer;
        this.problem = problem;
    }

    /** The JSON pointer of the problem inside the policy document, such as {@code /Statement/0/Principal/AWS}; empty for the document itself. */
    public String pointer() {
        return pointer;
    }

    /** What is wrong and, where there is one, what to write instead. */
    public String problem() {
        return problem;
    }
}
