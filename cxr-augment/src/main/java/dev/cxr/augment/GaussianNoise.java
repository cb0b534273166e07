package dev.cxr.augment;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Additive Gaussian noise: {@code v' = clamp01(v + sigma * z)}, {@code z ~ N(0, 1)} independent per
 * pixel. Models quantum (photon) noise and detector noise at lower dose.
 *
 * <p>The deviates come from a {@link GaussianTable} of 16,384 equiprobable normal quantiles indexed
 * by random bits: four deviates per {@code nextLong()}, mean 0 and variance 1 exactly over the
 * table, tails cut near 4 sigma. Limited to sigma {@value #LIMIT}.
 *
 * <p>JSON form: {@code {"type": "noise", "sigma": 0.01}}.
 */
public final class GaussianNoise extends AugmentationStep {
  /** The largest allowed sigma. */
  public static final double LIMIT = 0.2;

  static final String TYPE = "noise";
  static final GaussianNoise OFF = new GaussianNoise(0);
  private static final List<String> NAMES = names("sigma");
  private static final List<String> FLAT_NAMES = names("noise");

  private final double sigma;

  private GaussianNoise(double sigma) {
    this.sigma = sigma;
  }

  /**
   * Noise of standard deviation {@code sigma}.
   *
   * @param sigma in [0, 0.2], in pixel units; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code noise} when out of range
   */
  public static GaussianNoise withSigma(double sigma) {
    return new GaussianNoise(Checks.inRange("noise", sigma, 0, LIMIT, " (sigma)"));
  }

  /**
   * Returns the standard deviation.
   *
   * @return sigma
   */
  public double sigma() {
    return sigma;
  }

  /**
   * Returns {@code "noise"}.
   *
   * @return the type name
   */
  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Whether {@code sigma} is 0.
   *
   * @return true when no noise is ever added
   */
  @Override
  public boolean isIdentity() {
    return sigma == 0;
  }

  /**
   * Adds {@code sigma * z} to every pixel of {@code px} in place and clamps to [0, 1]: four 14-bit
   * table indices per {@code nextLong()}, pixel {@code i} of each group of four taking bits {@code
   * 14 i} upwards.
   */
  static void addInPlace(float[] px, double sigma, SplittableRandom random) {
    IntensityKernel.apply(px, 1, 0, 1, sigma, random);
  }

  /**
   * Adds independent noise to every pixel and clamps to [0, 1].
   *
   * @param image the input
   * @param random the random source
   * @return the noisy image, or the input when sigma is 0
   */
  @Override
  public GrayImage apply(GrayImage image, SplittableRandom random) {
    if (sigma == 0) {
      return image;
    }
    float[] px = image.toArray();
    addInPlace(px, sigma, random);
    return GrayImage.wrap(image.width(), image.height(), px);
  }

  @Override
  int slot() {
    return 8;
  }

  @Override
  List<String> parameterNames() {
    return NAMES;
  }

  @Override
  List<String> flatNames() {
    return FLAT_NAMES;
  }

  @Override
  double[] parameterValues() {
    return new double[] {sigma};
  }

  @Override
  GaussianNoise withParameterValues(double[] values) {
    return withSigma(values[0]);
  }

  @Override
  void contribute(FusedSample sample, SplittableRandom random) {
    // the stream goes on to draw the per-pixel deviates in the fused tone pass
    sample.noise(sigma, random);
  }
}
