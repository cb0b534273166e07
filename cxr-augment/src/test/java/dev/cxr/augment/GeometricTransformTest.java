package dev.cxr.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeometricTransformTest {

  @Test
  void identityParametersReturnTheInputExactly() {
    GrayImage img = Patterns.random(37, 29, 1);
    SplittableRandom r = new SplittableRandom(5);
    assertThat(Rotation.upTo(0).apply(img, r)).isSameAs(img);
    assertThat(Zoom.between(1, 1).apply(img, r)).isSameAs(img);
    assertThat(Translation.upTo(0).apply(img, r)).isSameAs(img);
    // and an explicit identity map through the resampler reproduces every pixel bit for bit
    // except for the float rounding of the weights at the clamped right/bottom edge
    float[] out = Resampler.resample(img.data(), 37, 29, AffineMap.IDENTITY);
    for (int i = 0; i < out.length; i++) {
      assertThat(out[i]).isCloseTo(img.data()[i], within(1e-6f));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {32, 33})
  void ninetyDegreesThroughTheGeneralAffineCodeIsATransposeFlip(int n) {
    GrayImage img = Patterns.random(n, n, n);
    GrayImage rotated = Resampler.applyForward(img, Rotation.forward(90, n, n));
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        // counter-clockwise as displayed: out(x, y) = in(n - 1 - y, x)
        assertThat(rotated.get(x, y)).isCloseTo(img.get(n - 1 - y, x), within(1e-5f));
      }
    }
    GrayImage back = Resampler.applyForward(rotated, Rotation.forward(-90, n, n));
    for (int i = 0; i < n * n; i++) {
      assertThat(back.data()[i]).isCloseTo(img.data()[i], within(1e-5f));
    }
  }

  @Test
  void horizontalFlipMirrorsColumns() {
    GrayImage img = Patterns.random(7, 5, 3);
    GrayImage flipped = HorizontalFlip.withProbability(1).apply(img, new SplittableRandom(1));
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 7; x++) {
        assertThat(flipped.get(x, y)).isCloseTo(img.get(6 - x, y), within(1e-6f));
      }
    }
  }

  @Test
  void rotationOfALinearRampFollowsTheRotationFormula() {
    int n = 64;
    GrayImage ramp = Patterns.ramp(n, n, 1f / n, 0f, 0f); // f(x, y) = x / n
    double deg = 12.5;
    GrayImage out = Resampler.applyForward(ramp, Rotation.forward(deg, n, n));
    double c = (n - 1) / 2.0;
    double t = Math.toRadians(deg);
    // inverse of a counter-clockwise turn: source x = c + cos t (x - c) - sin t (y - c)
    for (int y = 20; y < 44; y++) {
      for (int x = 20; x < 44; x++) {
        double sx = c + Math.cos(t) * (x - c) - Math.sin(t) * (y - c);
        assertThat((double) out.get(x, y)).isCloseTo(sx / n, within(1e-5));
      }
    }
  }

  @Test
  void zoomScalesAboutTheCentre() {
    int n = 64;
    GrayImage ramp = Patterns.ramp(n, n, 0f, 1f / n, 0f); // f(x, y) = y / n
    double s = 1.25;
    GrayImage out = Resampler.applyForward(ramp, Zoom.forward(s, n, n));
    double c = (n - 1) / 2.0;
    for (int y = 0; y < n; y++) {
      double sy = c + (y - c) / s;
      assertThat((double) out.get(10, y)).isCloseTo(sy / n, within(1e-5));
    }
  }

  @Test
  void translationShiftsAndReplicatesTheBorderInsteadOfBlack() {
    GrayImage img = Patterns.random(16, 8, 4);
    GrayImage out = Resampler.applyForward(img, AffineMap.translation(3, -2));
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 16; x++) {
        int sx = Math.max(0, x - 3);
        int sy = Math.min(7, y + 2);
        assertThat(out.get(x, y)).isCloseTo(img.get(sx, sy), within(1e-5f));
      }
    }
  }

  @Test
  void rotatedAndZoomedConstantImageHasNoDarkFrame() {
    GrayImage img = GrayImage.filled(48, 40, 0.6f);
    AffineMap m = Rotation.forward(25, 48, 40).then(Zoom.forward(0.6, 48, 40));
    GrayImage out = Resampler.applyForward(img, m.then(AffineMap.translation(7, 5)));
    for (float v : out.toArray()) {
      assertThat(v).isCloseTo(0.6f, within(1e-6f));
    }
  }

  @Test
  void randomParametersStayWithinTheirRanges() {
    SplittableRandom r = new SplittableRandom(9);
    Rotation rot = Rotation.upTo(10);
    Zoom zoom = Zoom.between(0.9, 1.1);
    double minDeg = 0;
    double maxDeg = 0;
    for (int i = 0; i < 2000; i++) {
      double d = rot.sampleDegrees(r);
      minDeg = Math.min(minDeg, d);
      maxDeg = Math.max(maxDeg, d);
      assertThat(zoom.sampleFactor(r)).isBetween(0.9, 1.1);
    }
    assertThat(minDeg).isBetween(-10.0, -9.5);
    assertThat(maxDeg).isBetween(9.5, 10.0);
    AffineMap t = Translation.upTo(0.1).sampleForward(r, 100, 50);
    assertThat(Math.abs(t.c)).isLessThanOrEqualTo(10);
    assertThat(Math.abs(t.f)).isLessThanOrEqualTo(5);
  }

  @Test
  void affineCompositionAndInverseAgree() {
    AffineMap m =
        Rotation.forward(17, 30, 20)
            .then(Zoom.forward(1.3, 30, 20))
            .then(AffineMap.translation(2, -1));
    AffineMap id = m.then(m.inverse());
    assertThat(id.a).isCloseTo(1, within(1e-12));
    assertThat(id.b).isCloseTo(0, within(1e-12));
    assertThat(id.c).isCloseTo(0, within(1e-12));
    assertThat(id.d).isCloseTo(0, within(1e-12));
    assertThat(id.e).isCloseTo(1, within(1e-12));
    assertThat(id.f).isCloseTo(0, within(1e-12));
  }
}
