package dev.cxr.core.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.localize.LocalizationMetrics.Proportion;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandomMapsTest {

  @Test
  void blobMapsAreReproducibleBySeed() {
    float[] a = RandomMaps.map(64, 48, 7);
    assertThat(RandomMaps.map(64, 48, 7)).isEqualTo(a);
    assertThat(RandomMaps.map(64, 48, 8)).isNotEqualTo(a);
    assertThat(a).hasSize(64 * 48);
  }

  @Test
  void blobMapsAreFiniteNonNegativeWithOneToThreeWarmRegions() {
    for (long seed = 0; seed < 200; seed++) {
      float[] m = RandomMaps.map(64, 64, seed);
      float max = 0;
      int bad = 0;
      for (float v : m) {
        bad += Float.isFinite(v) && v >= 0 ? 0 : 1;
        max = Math.max(max, v);
      }
      assertThat(bad).as("seed %d: values not finite or negative", seed).isZero();
      assertThat(max).as("seed %d", seed).isPositive();
      List<Box> boxes = MapBoxes.detect(m, 64, 64, MapBoxes.DEFAULT_THRESHOLD);
      assertThat(boxes).as("seed %d", seed).hasSizeBetween(1, RandomMaps.MAX_BLOBS);
    }
  }

  @Test
  void blobMapPeaksFallAnywhereSoThePointingGameGivesTheCoveredShare() {
    // a true box covering a quarter of the image: chance is about 1/4
    List<Box> quarter = List.of(new Box(0, 0, 32, 32));
    List<Box> centre = List.of(new Box(16, 16, 32, 32));
    Proportion corner = new Proportion(0, 0);
    Proportion middle = new Proportion(0, 0);
    for (long seed = 0; seed < 1000; seed++) {
      int[] p = MapBoxes.peak(RandomMaps.map(64, 64, RandomMaps.seed(42, "img" + seed)), 64, 64);
      corner = corner.add(LocalizationMetrics.pointingHit(p[0], p[1], quarter));
      middle = middle.add(LocalizationMetrics.pointingHit(p[0], p[1], centre));
    }
    assertThat(corner.rate()).as(corner.format()).isBetween(0.20, 0.30);
    assertThat(middle.rate()).as(middle.format()).isBetween(0.20, 0.30);
  }

  @Test
  void coarseMapsAreReproducibleAndAsSmoothAsTheirGrid() {
    float[] a = RandomMaps.coarse(64, 64, 4, 3);
    assertThat(RandomMaps.coarse(64, 64, 4, 3)).isEqualTo(a);
    assertThat(RandomMaps.coarse(64, 64, 4, 4)).isNotEqualTo(a);
    for (float v : a) {
      assertThat(v).isBetween(0f, 1f);
    }
    // one cell: a constant map
    float[] one = RandomMaps.coarse(16, 16, 1, 3);
    for (float v : one) {
      assertThat(v).isEqualTo(one[0]);
    }
    // bilinear over 16 px cells of values in [0, 1): neighbours differ by at most 1/16
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 63; x++) {
        assertThat(Math.abs(a[y * 64 + x + 1] - a[y * 64 + x]))
            .isLessThanOrEqualTo(1f / 16 + 1e-6f);
        assertThat(Math.abs(a[x * 64 + y] - a[(x + 1) * 64 + y]))
            .isLessThanOrEqualTo(1f / 16 + 1e-6f);
      }
    }
    assertThatThrownBy(() -> RandomMaps.coarse(64, 64, 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cells");
  }

  @Test
  void perImageSeedsDependOnBaseAndName() {
    assertThat(RandomMaps.seed(1, "a.png")).isEqualTo(RandomMaps.seed(1, "a.png"));
    assertThat(RandomMaps.seed(1, "a.png")).isNotEqualTo(RandomMaps.seed(2, "a.png"));
    assertThat(RandomMaps.seed(1, "a.png")).isNotEqualTo(RandomMaps.seed(1, "b.png"));
  }

  @Test
  void badSizes() {
    assertThatThrownBy(() -> RandomMaps.map(0, 4, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("width");
    assertThatThrownBy(() -> RandomMaps.map(4, -1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("height");
  }
}
