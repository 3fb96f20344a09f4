package io.vpcanary.lambda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The init benchmark (bench/lambda-init.sh): starts the packaged function under the Runtime Interface Client against
 * a {@link RuntimeApiServer} N times, waits until it asks for its first invocation (its initialisation is over), and
 * prints the handler's own init time (JVM start to handler ready, from its {@code vpcanary: init N ms} line) of each
 * start and their median. No invocation is sent: nothing goes on the network. JDK only.
 *
 * <p>Usage: {@code java -cp lambda/target/test-classes io.vpcanary.lambda.InitBench ZIP RIC_DIR N [VANTAGE]}
 */
public final class InitBench {

    private static final Pattern INIT = Pattern.compile("vpcanary: init ([0-9]+) ms after JVM start");

    private InitBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: InitBench ZIP RIC_DIR N [VANTAGE]");
            System.exit(2);
        }
        Path work = Files.createTempDirectory("vpcanary-init-bench");
        Path task = LambdaProcess.unpack(Path.of(args[0]), work.resolve("task"));
        Path ric = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        String vantage = args.length > 3 ? args[3] : "canary-east";
        List<Long> inits = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Path log = work.resolve("run-" + i + ".log");
            try (RuntimeApiServer api = RuntimeApiServer.start();
                 LambdaProcess fn = LambdaProcess.start(task, ric, api.address(),
                         Map.of("VPCANARY_VANTAGE", vantage), log)) {
                long init = awaitInit(api, fn);
                inits.add(init);
                System.out.println("start " + i + ": init " + init + " ms after JVM start");
            }
        }
        List<Long> sorted = inits.stream().sorted().toList();
        long median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        System.out.println("median init: " + median + " ms after JVM start over " + n + " starts (min "
                + sorted.get(0) + ", max " + sorted.get(sorted.size() - 1) + ")");
    }

    /** Waits (at most 60 s) until the function asks for its first invocation, and reads its init line. */
    static long awaitInit(RuntimeApiServer api, LambdaProcess fn) throws Exception {
        fn.await(api.firstNext(), 60);
        Matcher m = INIT.matcher(fn.log());
        if (!m.find()) {
            throw new IllegalStateException("no init line in the function's log:\n" + fn.log());
        }
        return Long.parseLong(m.group(1));
    }
}
