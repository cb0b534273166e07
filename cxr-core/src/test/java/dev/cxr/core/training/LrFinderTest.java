package dev.cxr.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The learning-rate suggestion of the range test. */
class LrFinderTest {
  @Test
  void suggestionIgnoresEarlyNoiseAndPicksTheSteepestDescent() {
    int n = 60;
    double[] rates = new double[n];
    double[] losses = new double[n];
    for (int i = 0; i < n; i++) {
      rates[i] = 1e-5 * Math.pow(1e5, i / (n - 1.0));
      double x = Math.log10(rates[i]); // -5 .. 0: flat, a drop centred at 1e-3, a minimum near 1e-1
      losses[i] =
          1.0
              - 0.5 / (1 + Math.exp(-4 * (x + 3)))
              + (i == 1 ? -0.3 : 0)
              + (x > -1 ? 2 * (x + 1) * (x + 1) : 0);
    }
    assertThat(LrFinder.suggest(rates, losses)).isBetween(3e-4, 3e-3);
  }
}
