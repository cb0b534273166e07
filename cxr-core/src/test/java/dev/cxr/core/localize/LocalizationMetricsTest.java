package dev.cxr.core.localize;

import static dev.cxr.core.localize.LocalizationMetrics.falsePositives;
import static dev.cxr.core.localize.LocalizationMetrics.localized;
import static dev.cxr.core.localize.LocalizationMetrics.localizedByIou;
import static dev.cxr.core.localize.LocalizationMetrics.pointingHit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.localize.LocalizationMetrics.Proportion;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalizationMetricsTest {
  static final Box TRUTH = new Box(10, 10, 20, 20); // [10, 30) x [10, 30)

  @Test
  void pointingGameTestsThePixelCentreInsideTheBox() {
    List<Box> truth = List.of(TRUTH);
    assertThat(pointingHit(10, 10, truth)).isTrue();
    assertThat(pointingHit(29, 29, truth)).isTrue();
    assertThat(pointingHit(30, 15, truth)).isFalse();
    assertThat(pointingHit(15, 30, truth)).isFalse();
    assertThat(pointingHit(9, 15, truth)).isFalse();
    // a box scaled to fractional pixels: pixel 56 spans [56, 57), its centre 56.5 is inside
    List<Box> fractional = List.of(new Box(56.27, 100.6, 21.7, 10));
    assertThat(pointingHit(56, 105, fractional)).isTrue();
    assertThat(pointingHit(55, 105, fractional)).isFalse();
    assertThat(pointingHit(77, 110, fractional)).isTrue(); // 77.5 < 77.97
    assertThat(pointingHit(78, 110, fractional)).isFalse();
    assertThat(pointingHit(60, 100, fractional)).isFalse(); // 100.5 < 100.6
    // any of several boxes
    assertThat(pointingHit(100, 100, List.of(TRUTH, new Box(90, 90, 20, 20)))).isTrue();
  }

  @Test
  void pointingToleranceIsADistanceFromTheBox() {
    List<Box> truth = List.of(TRUTH);
    // pixel 30's centre is 0.5 px right of the box
    assertThat(pointingHit(30, 15, truth, 0)).isFalse();
    assertThat(pointingHit(30, 15, truth, 0.5)).isTrue();
    assertThat(pointingHit(31, 15, truth, 1)).isFalse(); // 1.5 px away
    assertThat(pointingHit(31, 15, truth, 1.5)).isTrue();
    // diagonal: centre (33.5, 34.5) is (3.5, 4.5) from the corner (30, 30): 5.70 px
    assertThat(pointingHit(33, 34, truth, 5.6)).isFalse();
    assertThat(pointingHit(33, 34, truth, 5.8)).isTrue();
    assertThatThrownBy(() -> pointingHit(0, 0, truth, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tolerance");
    assertThatThrownBy(() -> pointingHit(0, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("truth");
  }

  @Test
  void pointingOnADetectedMapPeak() {
    float[] map = new float[40 * 40];
    map[20 * 40 + 25] = 1f;
    int[] p = MapBoxes.peak(map, 40, 40);
    assertThat(pointingHit(p[0], p[1], List.of(TRUTH))).isTrue();
    assertThat(pointingHit(p[0], p[1], List.of(new Box(0, 0, 10, 40)))).isFalse();
  }

  @Test
  void localisedAtT01AndT05() {
    List<Box> truth = List.of(new Box(0, 0, 10, 10));
    Box half = new Box(5, 0, 10, 10); // IoBB 0.5
    Box fifth = new Box(8, 0, 10, 10); // IoBB 0.2
    Box inside = new Box(2, 2, 2, 2); // IoBB 1
    Box huge = new Box(0, 0, 100, 100); // covers the truth, IoBB 0.01
    Box away = new Box(50, 50, 5, 5); // IoBB 0
    assertThat(localized(List.of(half), truth, 0.1)).isTrue();
    assertThat(localized(List.of(half), truth, 0.5)).as("strictly greater than T").isFalse();
    assertThat(localized(List.of(fifth), truth, 0.1)).isTrue();
    assertThat(localized(List.of(fifth), truth, 0.5)).isFalse();
    assertThat(localized(List.of(inside), truth, 0.5)).isTrue();
    assertThat(localized(List.of(huge), truth, 0.1)).isFalse();
    assertThat(localized(List.of(away, huge, fifth), truth, 0.1)).as("any detected box").isTrue();
    assertThat(localized(List.of(), truth, 0.1)).isFalse();
    // any true box
    assertThat(localized(List.of(away), List.of(truth.get(0), new Box(49, 49, 10, 10)), 0.5))
        .isTrue();
    assertThatThrownBy(() -> localized(List.of(half), truth, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tIobb");
    assertThatThrownBy(() -> localized(List.of(half), List.of(), 0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("truth");
  }

  @Test
  void localisedByIou() {
    List<Box> truth = List.of(new Box(0, 0, 10, 10));
    Box half = new Box(5, 0, 10, 10); // IoU 50/150
    assertThat(localizedByIou(List.of(half), truth, 0.3)).isTrue();
    assertThat(localizedByIou(List.of(half), truth, 0.34)).isFalse();
    assertThat(localizedByIou(List.of(new Box(2, 2, 2, 2)), truth, 0.1)).isFalse(); // IoU 0.04
  }

  @Test
  void falsePositivesAreDetectedBoxesMatchingNoTrueBox() {
    List<Box> truth = List.of(new Box(0, 0, 10, 10), new Box(100, 100, 10, 10));
    Box inside = new Box(2, 2, 2, 2); // IoBB 1 with the first
    Box fifth = new Box(8, 0, 10, 10); // IoBB 0.2 with the first
    Box away = new Box(50, 50, 5, 5); // none
    Box huge = new Box(0, 0, 200, 200); // IoBB 0.005 with each
    List<Box> detected = List.of(inside, fifth, away, huge);
    assertThat(falsePositives(detected, truth, 0.1)).isEqualTo(2);
    assertThat(falsePositives(detected, truth, 0.5)).isEqualTo(3);
    assertThat(falsePositives(List.of(), truth, 0.5)).isZero();
    assertThat(falsePositives(detected, List.of(), 0.1)).isEqualTo(4);
  }

  @Test
  void wilsonIntervalAgainstKnownValues() {
    // 8/10: p = 0.8, z^2/n = 0.38415; centre 0.71674, half-width 0.22658
    Proportion p = new Proportion(8, 10);
    assertThat(p.rate()).isEqualTo(0.8);
    assertThat(p.wilsonLow()).isCloseTo(0.4902, within(5e-5));
    assertThat(p.wilsonHigh()).isCloseTo(0.9433, within(5e-5));
    // 0/10: the lower end is 0, the upper z^2/(n + z^2) = 3.84146/13.84146
    Proportion zero = new Proportion(0, 10);
    assertThat(zero.wilsonLow()).isZero();
    assertThat(zero.wilsonHigh()).isCloseTo(0.2775, within(5e-5));
    assertThat(zero.wilsonHigh()).isCloseTo(3.841459 / 13.841459, within(1e-6));
    // 10/10 mirrors 0/10
    Proportion all = new Proportion(10, 10);
    assertThat(all.wilsonHigh()).isEqualTo(1.0);
    assertThat(all.wilsonLow()).isCloseTo(1 - 0.2775, within(5e-5));
    // symmetric around 1/2
    Proportion h = new Proportion(5, 10);
    assertThat(h.wilsonLow() + h.wilsonHigh()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void formatAndCounting() {
    assertThat(new Proportion(31, 50).format()).isEqualTo("0.62 (0.48-0.74, 31/50)");
    assertThat(new Proportion(8, 10).format()).isEqualTo("0.80 (0.49-0.94, 8/10)");
    Proportion none = new Proportion(0, 0);
    assertThat(none.rate()).isNaN();
    assertThat(none.wilsonLow()).isNaN();
    assertThat(none.wilsonHigh()).isNaN();
    assertThat(none.format()).isEqualTo("n/a (0/0)");
    assertThat(none.add(true).add(false).add(true)).isEqualTo(new Proportion(2, 3));
    assertThatThrownBy(() -> new Proportion(3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("hits");
    assertThatThrownBy(() -> new Proportion(0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("total");
  }
}
