package io.vpcanary.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChiSquareTest {

    @Test
    void pValuesAndCriticalValuesMatchTheTables() {
        // textbook critical values at alpha 0.01 and 0.05
        assertThat(ChiSquare.criticalValue(0.01, 1)).isCloseTo(6.6349, offset(1e-3));
        assertThat(ChiSquare.criticalValue(0.01, 2)).isCloseTo(9.2103, offset(1e-3));
        assertThat(ChiSquare.criticalValue(0.05, 3)).isCloseTo(7.8147, offset(1e-3));
        assertThat(ChiSquare.criticalValue(0.01, 10)).isCloseTo(23.2093, offset(1e-3));
        assertThat(ChiSquare.pValue(3.841459, 1)).isCloseTo(0.05, offset(1e-6));
        assertThat(ChiSquare.pValue(0, 2)).isEqualTo(1.0);
        assertThat(ChiSquare.pValue(Double.POSITIVE_INFINITY, 1)).isZero();
        assertThat(ChiSquare.logGamma(5)).isCloseTo(Math.log(24), offset(1e-12));
    }

    @Test
    void statisticCountsOnlyCategoriesWithTrafficAndInfiniteForTrafficWhereNoneIsExpected() {
        assertThat(ChiSquare.statistic(List.of(60L, 40L), List.of(0.5, 0.5))).isCloseTo(4.0, offset(1e-12));
        assertThat(ChiSquare.statistic(List.of(100L, 0L), List.of(1.0, 0.0))).isZero();
        assertThat(ChiSquare.statistic(List.of(99L, 1L), List.of(1.0, 0.0))).isInfinite();
        assertThat(ChiSquare.degreesOfFreedom(List.of(0.7, 0.3, 0.0))).isEqualTo(1);
    }

    @Test
    void sampleSizeFollowsCohensPowerTables() {
        // Cohen (1988): alpha 0.01, power 0.80, df 1 needs lambda = 11.68, so w = 0.1 -> n = 1168;
        // shares 0.5/0.5 with 0.05 moved from one to the other: w^2 = 2 * 0.05^2 / 0.5 = 0.01, w = 0.1
        assertThat(ChiSquare.sampleSize(List.of(0.5, 0.5), 0.05)).isBetween(1165L, 1172L);
        // w = 0.3 (shares 0.5/0.5, deviation 0.15) -> n = 11.68 / 0.09 = 130
        assertThat(ChiSquare.sampleSize(List.of(0.5, 0.5), 0.15)).isBetween(129L, 131L);
        assertThat(ChiSquare.power(ChiSquare.criticalValue(0.01, 1), 1, 0)).isCloseTo(0.01, offset(1e-6));
        assertThatThrownBy(() -> ChiSquare.sampleSize(List.of(1.0, 0.0), 0.1)).hasMessageContaining("two categories");
        assertThatThrownBy(() -> ChiSquare.sampleSize(List.of(0.9, 0.1), 0.2)).hasMessageContaining("at most 0.1");
    }
}
