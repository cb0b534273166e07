package dev.cxr.core.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MapBoxesTest {
  static final int W = 12;
  static final int H = 9;

  /** A W x H map with the given (x, y, value) pixels set, the rest 0. */
  static float[] map(float[][] pixels) {
    float[] m = new float[W * H];
    for (float[] p : pixels) {
      m[(int) p[1] * W + (int) p[0]] = p[2];
    }
    return m;
  }

  static float[] rect(float[] m, int x0, int y0, int x1, int y1, float v) {
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        m[y * W + x] = v;
      }
    }
    return m;
  }

  @Test
  void twoSeparateBlobsGiveTwoBoxesWithExactExtentsHighestPeakFirst() {
    float[] m = new float[W * H];
    rect(m, 1, 1, 3, 2, 0.6f); // columns 1..3, rows 1..2, met first in row-major order
    rect(m, 6, 4, 8, 7, 0.7f); // columns 6..8, rows 4..7
    m[5 * W + 7] = 1.0f; // the map's maximum, inside the second blob
    m[0] = 0.2f; // below half the maximum: no box
    assertThat(MapBoxes.detect(m, W, H, 0.5))
        .containsExactly(new Box(6, 4, 3, 4), new Box(1, 1, 3, 2));
    List<MapBoxes.Region> regions = MapBoxes.regions(m, W, H, 0.5);
    assertThat(regions).extracting(MapBoxes.Region::pixels).containsExactly(12, 6);
    assertThat(regions.get(0).peak()).isEqualTo(1.0);
    assertThat(regions.get(1).peak()).isEqualTo(0.6f / 1.0);
  }

  @Test
  void equalPeaksKeepRowMajorOrder() {
    float[] m = new float[W * H];
    rect(m, 8, 0, 9, 0, 1f);
    rect(m, 0, 5, 1, 6, 1f);
    assertThat(MapBoxes.detect(m, W, H, 0.5))
        .containsExactly(new Box(8, 0, 2, 1), new Box(0, 5, 2, 2));
  }

  @Test
  void diagonalContactJoinsUnderEightConnectivity() {
    float[] m = map(new float[][] {{2, 2, 1}, {3, 3, 1}, {4, 4, 1}, {6, 3, 1}});
    // (2,2)-(3,3)-(4,4) touch only at corners: one region; (6,3) is two columns from (4,4)
    assertThat(MapBoxes.detect(m, W, H, 0.5))
        .containsExactly(new Box(2, 2, 3, 3), new Box(6, 3, 1, 1));
    // an anti-diagonal too
    float[] anti = map(new float[][] {{5, 1, 1}, {4, 2, 1}});
    assertThat(MapBoxes.detect(anti, W, H, 0.5)).containsExactly(new Box(4, 1, 2, 2));
  }

  @Test
  void thresholdChangesTheResult() {
    float[] m = new float[W * H];
    rect(m, 0, 0, 1, 1, 1.0f);
    rect(m, 4, 0, 5, 1, 0.4f);
    m[2] = 0.3f; // (2, 0) and (3, 0) bridge the two at 0.3 of the maximum
    m[3] = 0.3f;
    assertThat(MapBoxes.detect(m, W, H, 0.5)).containsExactly(new Box(0, 0, 2, 2));
    assertThat(MapBoxes.detect(m, W, H, 0.35))
        .containsExactly(new Box(0, 0, 2, 2), new Box(4, 0, 2, 2));
    assertThat(MapBoxes.detect(m, W, H, 0.3)).containsExactly(new Box(0, 0, 6, 2));
    // exactly at the threshold is kept: 0.4 of the maximum at threshold 0.4
    assertThat(MapBoxes.detect(m, W, H, 0.4)).hasSize(2);
    // threshold 1 keeps the maximal pixels only
    assertThat(MapBoxes.detect(m, W, H, 1.0)).containsExactly(new Box(0, 0, 2, 2));
    // the default is 0.5
    assertThat(MapBoxes.detect(m, W, H)).isEqualTo(MapBoxes.detect(m, W, H, 0.5));
  }

  @Test
  void normalisesByTheMaximumSoScaleDoesNotMatter() {
    float[] m = new float[W * H];
    rect(m, 1, 1, 2, 2, 3f);
    rect(m, 7, 5, 8, 8, 1.8f);
    float[] scaled = m.clone();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] *= 1e-6f;
    }
    assertThat(MapBoxes.detect(scaled, W, H, 0.5))
        .isEqualTo(MapBoxes.detect(m, W, H, 0.5))
        .hasSize(2);
  }

  @Test
  void allZeroAndAllNegativeMapsGiveNoBoxes() {
    assertThat(MapBoxes.detect(new float[W * H], W, H, 0.5)).isEmpty();
    float[] neg = new float[W * H];
    Arrays.fill(neg, -1f);
    assertThat(MapBoxes.detect(neg, W, H, 0.5)).isEmpty();
    // negative values never pass a positive threshold
    neg[5] = 2f;
    assertThat(MapBoxes.detect(neg, W, H, 0.5)).containsExactly(new Box(5, 0, 1, 1));
  }

  @Test
  void aWholeLargeMapIsOneRegionWithoutRecursion() {
    int n = 1024;
    float[] m = new float[n * n];
    Arrays.fill(m, 1f);
    assertThat(MapBoxes.detect(m, n, n, 0.5)).containsExactly(new Box(0, 0, n, n));
  }

  @Test
  void peakIsTheFirstMaximumInRowMajorOrder() {
    float[] m = map(new float[][] {{7, 2, 0.9f}, {3, 4, 1f}, {9, 4, 1f}, {0, 8, 1f}});
    assertThat(MapBoxes.peak(m, W, H)).containsExactly(3, 4);
    float[] neg = new float[W * H];
    Arrays.fill(neg, -2f);
    neg[W * H - 1] = -1f;
    assertThat(MapBoxes.peak(neg, W, H)).containsExactly(W - 1, H - 1);
    assertThat(MapBoxes.peak(new float[W * H], W, H)).containsExactly(0, 0);
  }

  @Test
  void badArguments() {
    float[] m = new float[W * H];
    assertThatThrownBy(() -> MapBoxes.detect(new float[5], W, H, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("map has 5 values");
    assertThatThrownBy(() -> MapBoxes.detect(m, W, H, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("threshold");
    assertThatThrownBy(() -> MapBoxes.detect(m, W, H, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("threshold");
    assertThatThrownBy(() -> MapBoxes.detect(m, 0, H, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("width");
    float[] nan = new float[W * H];
    nan[W + 2] = Float.NaN;
    assertThatThrownBy(() -> MapBoxes.peak(nan, W, H))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(2, 1)");
    assertThatThrownBy(() -> MapBoxes.detect(null, W, H, 0.5))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("map");
  }
}
