package dev.cxr.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.metrics.Calibration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Temperature scaling recovers a known over-confidence and keeps the ranking. */
class TemperatureScalingTest {
  @Test
  void recoversTheTemperatureThatMadeScoresOverconfident() {
    // labels drawn from calibrated probabilities q; the model reports q sharpened by T = 2.5
    SplittableRandom r = new SplittableRandom(4);
    int n = 4000;
    double[] reported = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      double z = r.nextGaussian() * 1.5;
      double q = 1 / (1 + Math.exp(-z));
      y[i] = r.nextDouble() < q;
      reported[i] = 1 / (1 + Math.exp(-z * 2.5));
    }
    double t = TemperatureScaling.fit(reported, y);
    assertThat(t).isCloseTo(2.5, within(0.25));
    double[] scaled = new double[n];
    for (int i = 0; i < n; i++) {
      scaled[i] = TemperatureScaling.apply(reported[i], t);
    }
    assertThat(Calibration.of(scaled, y).ece()).isLessThan(Calibration.of(reported, y).ece() / 2);
    assertThat(TemperatureScaling.nll(reported, y, t))
        .isLessThan(TemperatureScaling.nll(reported, y, 1));
  }

  @Test
  void scalingIsMonotoneAndComposes() {
    assertThat(TemperatureScaling.apply(0.3, 1)).isEqualTo(0.3);
    assertThat(TemperatureScaling.apply(0.5, 3)).isCloseTo(0.5, within(1e-12));
    assertThat(TemperatureScaling.apply(0.9, 2)).isLessThan(0.9).isGreaterThan(0.5);
    assertThat(TemperatureScaling.apply(0.2, 2)).isGreaterThan(0.2);
    double twice = TemperatureScaling.apply(TemperatureScaling.apply(0.8, 2), 1.5);
    assertThat(twice).isCloseTo(TemperatureScaling.apply(0.8, 3), within(1e-9));
  }
}
