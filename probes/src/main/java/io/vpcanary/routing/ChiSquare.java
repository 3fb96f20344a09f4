package io.vpcanary.routing;

import java.util.List;

/**
 * Pearson's chi-square goodness-of-fit test, with its p-value and the sample size that detects a stated deviation:
 * what {@code vpcanary routing verify} judges a weighted split with. Pure functions; the distribution functions are
 * computed to about 1e-12 relative accuracy (series and continued fraction of the regularized incomplete gamma
 * function, Lanczos log-gamma), far below what a verdict at α = 0.01 needs.
 */
public final class ChiSquare {

    /** The significance level of the routing tests. */
    public static final double ALPHA = 0.01;
    /** The power the sample size is computed for. */
    public static final double POWER = 0.8;

    private ChiSquare() {
    }

    /**
     * The statistic Σ (observed − expected)² / expected over the categories with a positive expected share; a count in a
     * category with expected share 0 makes it infinite.
     *
     * @param observed counts per category
     * @param shares   expected shares per category, summing to 1
     */
    public static double statistic(List<Long> observed, List<Double> shares) {
        long n = observed.stream().mapToLong(Long::longValue).sum();
        double stat = 0;
        for (int i = 0; i < observed.size(); i++) {
            double e = n * shares.get(i);
            if (e == 0) {
                if (observed.get(i) > 0) {
                    return Double.POSITIVE_INFINITY;
                }
                continue;
            }
            double d = observed.get(i) - e;
            stat += d * d / e;
        }
        return stat;
    }

    /** Degrees of freedom: the categories with a positive expected share, minus one. */
    public static int degreesOfFreedom(List<Double> shares) {
        return (int) shares.stream().filter(s -> s > 0).count() - 1;
    }

    /** P(X ≥ stat) for X chi-square with {@code df} degrees of freedom (1 with df 0 and stat 0). */
    public static double pValue(double stat, int df) {
        if (Double.isInfinite(stat)) {
            return 0;
        }
        if (df <= 0) {
            return stat > 0 ? 0 : 1;
        }
        return 1 - regularizedGammaP(df / 2.0, stat / 2);
    }

    /** The critical value c with P(X ≥ c) = alpha. */
    public static double criticalValue(double alpha, int df) {
        double lo = 0;
        double hi = 1;
        while (pValue(hi, df) > alpha) {
            hi *= 2;
        }
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (pValue(mid, df) > alpha) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /**
     * The sample size that detects, at {@link #ALPHA} with {@link #POWER}, a split that moves {@code deviation} of the
     * traffic from one category to another: the pair with the two largest expected shares (the hardest to detect).
     * Cohen's effect size w² = d²/p₁ + d²/p₂; n = λ / w², where λ is the noncentrality at which the noncentral
     * chi-square exceeds the critical value with probability {@link #POWER}.
     *
     * @throws IllegalArgumentException when fewer than two categories have a positive share, or deviation is not in
     *                                  (0, the second largest share]
     */
    public static long sampleSize(List<Double> shares, double deviation) {
        List<Double> positive = shares.stream().filter(s -> s > 0).sorted((a, b) -> Double.compare(b, a)).toList();
        if (positive.size() < 2) {
            throw new IllegalArgumentException("a goodness-of-fit test needs two categories with traffic");
        }
        if (!(deviation > 0 && deviation <= positive.get(1))) {
            throw new IllegalArgumentException("the detectable deviation must be above 0 and at most "
                    + positive.get(1) + " (the second largest share), was " + deviation);
        }
        double w2 = deviation * deviation / positive.get(0) + deviation * deviation / positive.get(1);
        int df = positive.size() - 1;
        double c = criticalValue(ALPHA, df);
        double lo = 0;
        double hi = 1;
        while (power(c, df, hi) < POWER) {
            hi *= 2;
        }
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (power(c, df, mid) < POWER) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (long) Math.ceil(hi / w2);
    }

    /** P(X' > c) for X' noncentral chi-square with {@code df} degrees of freedom and noncentrality {@code lambda}. */
    static double power(double c, int df, double lambda) {
        double half = lambda / 2;
        int max = (int) (half + 12 * Math.sqrt(half + 1) + 60);
        double cdf = 0;
        double logWeight = -half;
        for (int j = 0; j <= max; j++) {
            if (j > 0) {
                logWeight += Math.log(half) - Math.log(j);
            }
            cdf += Math.exp(logWeight) * regularizedGammaP(df / 2.0 + j, c / 2);
        }
        return 1 - cdf;
    }

    /** The regularized lower incomplete gamma function P(a, x). */
    static double regularizedGammaP(double a, double x) {
        if (x <= 0) {
            return 0;
        }
        if (x < a + 1) {
            double sum = 1 / a;
            double term = sum;
            for (int n = 1; n < 10_000; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * 1e-15) {
                    break;
                }
            }
            return Math.min(1, sum * Math.exp(-x + a * Math.log(x) - logGamma(a)));
        }
        // continued fraction for Q(a, x) (modified Lentz)
        double tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) {
                d = tiny;
            }
            c = b + an / c;
            if (Math.abs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-15) {
                break;
            }
        }
        return Math.max(0, 1 - Math.exp(-x + a * Math.log(x) - logGamma(a)) * h);
    }

    /** ln Γ(x) for x > 0 (Lanczos, g = 7). */
    static double logGamma(double x) {
        double[] g = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        x -= 1;
        double a = g[0];
        double t = x + 7.5;
        for (int i = 1; i < 9; i++) {
            a += g[i] / (x + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
    }
}
