package dev.cxr.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntensityTransformTest {
  private static final float[] KNOWN = {0f, 0.2f, 0.5f, 0.75f, 0.95f, 1f};

  private static GrayImage known() {
    return GrayImage.of(KNOWN.length, 1, KNOWN);
  }

  @Test
  void identityParametersReturnTheInputExactly() {
    GrayImage img = Patterns.random(20, 10, 2);
    SplittableRandom r = new SplittableRandom(3);
    assertThat(Brightness.upTo(0).apply(img, r)).isSameAs(img);
    assertThat(Contrast.upTo(0).apply(img, r)).isSameAs(img);
    assertThat(Gamma.between(1, 1).apply(img, r)).isSameAs(img);
    assertThat(GaussianNoise.withSigma(0).apply(img, r)).isSameAs(img);
    assertThat(GaussianBlur.upTo(0).apply(img, r)).isSameAs(img);
    assertThat(RandomErasing.upTo(0).apply(img, r)).isSameAs(img);
  }

  @Test
  void brightnessAddsOneDeltaAndClamps() {
    float[] px = KNOWN.clone();
    IntensityKernel.apply(px, 1, 0.1, 1, 0, null);
    assertThat(px).containsExactly(new float[] {0.1f, 0.3f, 0.6f, 0.85f, 1f, 1f}, within(1e-6f));

    Brightness b = Brightness.upTo(0.2);
    double delta = b.sample(new SplittableRandom(11));
    assertThat(delta).isBetween(-0.2, 0.2).isNotZero();
    GrayImage out = b.apply(known(), new SplittableRandom(11));
    for (int i = 0; i < KNOWN.length; i++) {
      double expected = Math.min(1, Math.max(0, KNOWN[i] + delta));
      assertThat((double) out.get(i, 0)).isCloseTo(expected, within(1e-6));
    }
  }

  @Test
  void contrastScalesAboutMidGray() {
    float[] px = KNOWN.clone();
    IntensityKernel.apply(px, 1.2, 0.5 * (1 - 1.2), 1, 0, null); // c = 1.2
    assertThat(px).containsExactly(new float[] {0f, 0.14f, 0.5f, 0.8f, 1f, 1f}, within(1e-6f));

    Contrast c = Contrast.upTo(0.3);
    double factor = c.sample(new SplittableRandom(4));
    assertThat(factor).isBetween(0.7, 1.3).isNotEqualTo(1.0);
    GrayImage out = c.apply(known(), new SplittableRandom(4));
    for (int i = 0; i < KNOWN.length; i++) {
      double expected = Math.min(1, Math.max(0, (KNOWN[i] - 0.5) * factor + 0.5));
      assertThat((double) out.get(i, 0)).isCloseTo(expected, within(1e-6));
    }
  }

  @Test
  void gammaRaisesToThePower() {
    float[] px = {0f, 0.25f, 0.5f, 1f};
    IntensityKernel.apply(px, 1, 0, 2, 0, null);
    assertThat(px).containsExactly(new float[] {0f, 0.0625f, 0.25f, 1f}, within(1e-6f));
    px = new float[] {0f, 0.25f, 0.81f, 1f};
    IntensityKernel.apply(px, 1, 0, 0.5, 0, null);
    assertThat(px).containsExactly(new float[] {0f, 0.5f, 0.9f, 1f}, within(1e-5f));

    Gamma g = Gamma.between(0.8, 1.25);
    double gamma = g.sample(new SplittableRandom(8));
    assertThat(gamma).isBetween(0.8, 1.25);
    GrayImage out = g.apply(known(), new SplittableRandom(8));
    for (int i = 0; i < KNOWN.length; i++) {
      assertThat((double) out.get(i, 0)).isCloseTo(Math.pow(KNOWN[i], gamma), within(1e-5));
    }
  }

  @Test
  void gammaTableErrorIsWithinTheDocumentedBounds() {
    int n = 200_001;
    float[] grid = new float[n];
    for (int i = 0; i < n; i++) {
      grid[i] = (float) Math.pow(i / (double) (n - 1), 3); // dense near 0 where the power is steep
    }
    for (double gamma : new double[] {0.5, 0.8, 1.25, 2}) {
      float[] px = grid.clone();
      IntensityKernel.apply(px, 1, 0, gamma, 0, null);
      double worst = 0;
      for (int i = 0; i < n; i++) {
        worst = Math.max(worst, Math.abs(px[i] - Math.pow(grid[i], gamma)));
      }
      double bound = gamma >= 0.8 && gamma <= 1.25 ? 1e-4 : 1e-3;
      assertThat(worst).as("gamma %s", gamma).isLessThan(bound);
    }
  }

  @Test
  void fusedKernelEqualsBrightnessThenContrastThenGamma() {
    float[] px = {0.1f, 0.3f, 0.45f, 0.6f, 0.7f};
    double b = 0.05;
    double c = 1.1;
    double g = 0.9;
    float[] fused = px.clone();
    IntensityKernel.apply(fused, c, c * b + 0.5 * (1 - c), g, 0, null);
    for (int i = 0; i < px.length; i++) {
      double seq = Math.pow((px[i] + b - 0.5) * c + 0.5, g);
      assertThat((double) fused[i]).isCloseTo(seq, within(1e-5));
    }
  }

  @Test
  void noiseHasTheRequestedMeanAndStandardDeviation() {
    GrayImage img = GrayImage.filled(512, 512, 0.5f);
    GrayImage noisy = GaussianNoise.withSigma(0.05).apply(img, new SplittableRandom(21));
    assertThat(Patterns.mean(noisy)).isCloseTo(0.5, within(0.0005));
    assertThat(Patterns.std(noisy)).isCloseTo(0.05, within(0.0005));
    // Gaussian shape: about 68.3% within one sigma, 95.4% within two
    int one = 0;
    int two = 0;
    for (float v : noisy.toArray()) {
      double z = Math.abs(v - 0.5) / 0.05;
      one += z < 1 ? 1 : 0;
      two += z < 2 ? 1 : 0;
    }
    assertThat(one / (512.0 * 512)).isCloseTo(0.6827, within(0.005));
    assertThat(two / (512.0 * 512)).isCloseTo(0.9545, within(0.003));
  }

  @Test
  void gaussianTableIsStandardNormal() {
    double m = 0;
    double v = 0;
    for (float x : GaussianTable.VALUES) {
      m += x;
    }
    m /= GaussianTable.SIZE;
    for (float x : GaussianTable.VALUES) {
      v += (x - m) * (x - m);
    }
    v /= GaussianTable.SIZE;
    assertThat(m).isCloseTo(0, within(1e-6));
    assertThat(v).isCloseTo(1, within(1e-5));
    // median quantiles straddle 0; the quartile is Phi^-1(0.75) = 0.6745
    assertThat((double) GaussianTable.VALUES[3 * GaussianTable.SIZE / 4])
        .isCloseTo(0.6745, within(2e-3));
  }

  @Test
  void blurKeepsConstantsAndSpreadsAnImpulseAsAGaussian() {
    GrayImage flat = GrayImage.filled(20, 20, 0.3f);
    float[] blurred = GaussianBlur.blur(flat.data(), 20, 20, 1.5);
    for (float v : blurred) {
      assertThat(v).isCloseTo(0.3f, within(1e-6f));
    }
    float[] impulse = new float[31 * 31];
    impulse[15 * 31 + 15] = 1f;
    double sigma = 2;
    float[] out = GaussianBlur.blur(impulse, 31, 31, sigma);
    double sum = 0;
    double var = 0;
    for (int y = 0; y < 31; y++) {
      for (int x = 0; x < 31; x++) {
        sum += out[y * 31 + x];
        var += out[y * 31 + x] * (x - 15) * (x - 15);
      }
    }
    assertThat(sum).isCloseTo(1, within(1e-5));
    assertThat(Math.sqrt(var)).isCloseTo(sigma, within(0.02));
    assertThat(out[15 * 31 + 16] / out[15 * 31 + 15])
        .isCloseTo((float) Math.exp(-1 / (2 * sigma * sigma)), within(2e-3f));
  }

  @Test
  void randomErasingFillsOneRectangleWithTheMean() {
    GrayImage img = Patterns.random(40, 30, 6);
    double mean = Patterns.mean(img);
    RandomErasing erasing = RandomErasing.upTo(0.2);
    for (long seed = 0; seed < 20; seed++) {
      int[] rect = erasing.sampleRectangle(new SplittableRandom(seed), 40, 30);
      GrayImage out = erasing.apply(img, new SplittableRandom(seed));
      assertThat(rect[2] * rect[3]).isBetween(1, (int) Math.round(0.2 * 40 * 30 * 1.1));
      for (int y = 0; y < 30; y++) {
        for (int x = 0; x < 40; x++) {
          boolean inside =
              x >= rect[0] && x < rect[0] + rect[2] && y >= rect[1] && y < rect[1] + rect[3];
          if (inside) {
            assertThat((double) out.get(x, y)).isCloseTo(mean, within(1e-6));
          } else {
            assertThat(out.get(x, y)).isEqualTo(img.get(x, y));
          }
        }
      }
    }
  }
}
