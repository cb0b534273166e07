package dev.cxr.augment;

import dev.cxr.augment.FusedSample.Stage;
import java.util.SplittableRandom;

/**
 * Additive Gaussian noise: {@code v' = clamp01(v + sigma * z)}, {@code z ~ N(0, 1)} independent per
 * pixel. Models quantum (photon) noise and detector noise at lower dose.
 *
 * <p>The deviates come from a {@link GaussianTable} of 16,384 equiprobable normal quantiles indexed
 * by random bits: four deviates per {@code nextLong()}, mean 0 and variance 1 exactly over the
 * table, tails cut near 4 sigma; they are added in the pass of {@link IntensityKernel}. Limited to
 * sigma {@value #LIMIT}.
 *
 * <p>JSON form: {@code {"type": "noise", "sigma": 0.01}}.
 */
public final class GaussianNoise extends AugmentationStep {
  /** The largest allowed sigma. */
  public static final double LIMIT = 0.2;

  GaussianNoise(double... sigma) {
    super(StepType.NOISE, sigma);
  }

  /**
   * Noise of standard deviation {@code sigma}.
   *
   * @param sigma in [0, 0.2], in pixel units; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code noise} when out of range
   */
  public static GaussianNoise withSigma(double sigma) {
    return new GaussianNoise(sigma);
  }

  /**
   * Returns the standard deviation.
   *
   * @return sigma
   */
  public double sigma() {
    return value(0);
  }

  @Override
  Stage stage() {
    return Stage.NOISE;
  }

  @Override
  void contribute(FusedSample sample, SplittableRandom random) {
    if (sigma() > 0) {
      // the stream goes on to draw the per-pixel deviates in the fused tone pass
      sample.noise(sigma(), random);
    }
  }
}
