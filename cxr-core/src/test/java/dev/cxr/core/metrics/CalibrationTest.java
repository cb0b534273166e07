package dev.cxr.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** ECE and Brier score, computed by hand for small cases. */
class CalibrationTest {
  @Test
  void eceAndBrierByHand() {
    // bin [0.2, 0.3): p 0.2, 0.2 with labels 0, 1 -> |0.5 - 0.2| = 0.3, weight 2/4
    // bin [0.9, 1.0]: p 0.9, 1.0 with labels 1, 1 -> |1 - 0.95| = 0.05, weight 2/4
    double[] p = {0.2, 0.2, 0.9, 1.0};
    boolean[] y = {false, true, true, true};
    Calibration c = Calibration.of(p, y);
    assertThat(c.ece()).isCloseTo(0.5 * 0.3 + 0.5 * 0.05, within(1e-12));
    assertThat(c.brier()).isCloseTo((0.04 + 0.64 + 0.01 + 0) / 4, within(1e-12));
    assertThat(c.bins()).hasSize(10);
    assertThat(c.bins().get(2).count()).isEqualTo(2);
    assertThat(c.bins().get(9).count()).isEqualTo(2); // 1.0 falls in the last bin
    assertThat(c.bins().get(5).meanProbability()).isNaN();
    assertThat(c.line()).isEqualTo("ECE: 0.1750 (10 equal-width bins)  Brier: 0.1725");
  }

  @Test
  void perfectlyCalibratedScoresHaveNoError() {
    double[] p = {0.25, 0.25, 0.25, 0.25};
    boolean[] y = {true, false, false, false};
    assertThat(Calibration.of(p, y).ece()).isZero();
  }

  @Test
  void badInputIsRefused() {
    assertThatThrownBy(() -> Calibration.of(new double[] {1.5}, new boolean[] {true}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not in [0, 1]: 1.5");
    assertThatThrownBy(() -> Calibration.of(new double[0], new boolean[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
