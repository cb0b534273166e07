package dev.cxr.core.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The heat map grid: immutable, bilinear resizing with aligned centres, peak, viridis colours. */
class HeatMapTest {
  @Test
  void isImmutable() {
    float[] v = {0, 1, 2, 3};
    HeatMap m = new HeatMap(2, 2, v);
    v[0] = 9;
    m.values()[1] = 9;
    assertThat(m.at(0, 0)).isZero();
    assertThat(m.at(1, 0)).isEqualTo(1f);
    assertThatThrownBy(() -> new HeatMap(2, 2, new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 entries, not 2x2");
    assertThatThrownBy(() -> new HeatMap(1, 1, new float[] {Float.NaN}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void upsamplesBilinearlyWithCentresAligned() {
    HeatMap m = new HeatMap(2, 1, new float[] {0, 4});
    HeatMap up = m.resized(4, 1);
    // source centres sit at 0.5 and 2.5 of the new grid's coordinates: 0, 1, 3, 4
    assertThat(up.values()).containsExactly(0f, 1f, 3f, 4f);
    HeatMap big = new HeatMap(2, 2, new float[] {0, 0, 0, 8}).resized(64, 64);
    assertThat(big.max()).isEqualTo(8f);
    assertThat(big.at(0, 0)).isZero();
    assertThat(big.resized(64, 64)).isSameAs(big);
  }

  @Test
  void thePeakSitsInTheHighestCellNotAtItsPlateausCorner() {
    HeatMap big = new HeatMap(2, 2, new float[] {0, 0, 0, 8}).resized(64, 64);
    int[] p = big.peak();
    // the clamped plateau of the bottom-right cell is x, y in [48, 63]
    assertThat(p[0]).isBetween(48, 63);
    assertThat(p[1]).isBetween(48, 63);
    assertThat(new HeatMap(3, 3, new float[9]).peak()).containsExactly(1, 1);
  }

  @Test
  void viridisMatchesMatplotlibsPublishedAnchors() {
    // matplotlib's _viridis_data at 0, 0.5 and 1
    double[][] anchors = {
      {0, 0.267004, 0.004874, 0.329415},
      {0.5, 0.127568, 0.566949, 0.550556},
      {1, 0.993248, 0.906157, 0.143936}
    };
    for (double[] a : anchors) {
      int rgb = Viridis.rgb(a[0]);
      assertThat(((rgb >> 16) & 0xFF) / 255.0).as("red at " + a[0]).isCloseTo(a[1], within(0.02));
      assertThat(((rgb >> 8) & 0xFF) / 255.0).as("green at " + a[0]).isCloseTo(a[2], within(0.02));
      assertThat((rgb & 0xFF) / 255.0).as("blue at " + a[0]).isCloseTo(a[3], within(0.02));
    }
    // perceptually ordered: lightness (here: the sum of channels) rises monotonically
    int prev = -1;
    for (int i = 0; i <= 255; i += 5) {
      int c = Viridis.rgb(i / 255.0);
      int sum = ((c >> 16) & 0xFF) + ((c >> 8) & 0xFF) + (c & 0xFF);
      assertThat(sum).as("lightness at " + i).isGreaterThanOrEqualTo(prev - 2);
      prev = sum;
    }
  }

  @Test
  void blendsTransparentlyWhereTheMapIsZero() {
    assertThat(Overlay.blend(0.5f, 0)).isEqualTo(0x808080);
    int hot = Overlay.blend(0.5f, 1);
    assertThat(hot).isNotEqualTo(0x808080);
  }
}
