package io.vpcanary.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints a JMH JSON result of {@code SigningBenchmark} as one line per benchmark with its score, error and ratio to the
 * unsigned request; run as a single-file program by {@code bench/signing.sh}.
 */
public final class Summary {

    private Summary() {
    }

    public static void main(String[] args) throws Exception {
        String json = Files.readString(Path.of(args[0]));
        Pattern p = Pattern.compile("\"benchmark\"\\s*:\\s*\"[^\"]*\\.(\\w+)\"[\\s\\S]*?\"primaryMetric\"\\s*:\\s*\\{"
                + "\\s*\"score\"\\s*:\\s*([0-9.Ee+-]+),\\s*\"scoreError\"\\s*:\\s*([0-9.Ee+-]+|\"NaN\")");
        Matcher m = p.matcher(json);
        Map<String, double[]> scores = new LinkedHashMap<>();
        while (m.find()) {
            double err = m.group(3).contains("NaN") ? Double.NaN : Double.parseDouble(m.group(3));
            scores.put(m.group(1), new double[] {Double.parseDouble(m.group(2)), err});
        }
        double base = scores.containsKey("unsignedRequest") ? scores.get("unsignedRequest")[0] : Double.NaN;
        System.out.printf(Locale.ROOT, "%-18s %12s %10s %14s%n", "benchmark", "us/op", "+-", "x unsigned");
        scores.forEach((name, s) -> System.out.printf(Locale.ROOT, "%-18s %12.3f %10.3f %14.1f%n", name, s[0], s[1],
                s[0] / base));
    }
}
