package dev.cxr.augment;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Zoom (uniform scaling) about the image centre by a factor drawn uniformly from {@code [min,
 * max]}; a factor above 1 enlarges the content (zooms in), below 1 shrinks it, with replicated
 * borders filling the margin. Models differences in patient size and source-to-detector distance.
 *
 * <p>Factors are limited to [{@value #LIMIT_MIN}, {@value #LIMIT_MAX}].
 *
 * <p>JSON form: {@code {"type": "zoom", "min": 0.9, "max": 1.1}}.
 */
public final class Zoom extends AugmentationStep {
  /** The smallest allowed factor. */
  public static final double LIMIT_MIN = 0.5;

  /** The largest allowed factor. */
  public static final double LIMIT_MAX = 2;

  static final String TYPE = "zoom";
  static final Zoom OFF = new Zoom(1, 1);
  private static final List<String> NAMES = names("min", "max");
  private static final List<String> FLAT_NAMES = names("zoomMin", "zoomMax");

  private final double min;
  private final double max;

  private Zoom(double min, double max) {
    this.min = min;
    this.max = max;
  }

  /**
   * A zoom by a factor in {@code [min, max]}.
   *
   * @param min smallest factor, in [0.5, 2]
   * @param max largest factor, in [0.5, 2], at least {@code min}; {@code (1, 1)} is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code zoom} when out of range or not ordered
   */
  public static Zoom between(double min, double max) {
    Checks.inRange("zoom min", min, LIMIT_MIN, LIMIT_MAX, "");
    Checks.inRange("zoom max", max, LIMIT_MIN, LIMIT_MAX, "");
    Checks.ordered("zoom", min, max);
    return new Zoom(min, max);
  }

  /**
   * Returns the smallest factor.
   *
   * @return the factor
   */
  public double min() {
    return min;
  }

  /**
   * Returns the largest factor.
   *
   * @return the factor
   */
  public double max() {
    return max;
  }

  /**
   * Returns {@code "zoom"}.
   *
   * @return the type name
   */
  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Whether the factor is always 1.
   *
   * @return true for {@code [1, 1]}
   */
  @Override
  public boolean isIdentity() {
    return min == 1 && max == 1;
  }

  double sampleFactor(SplittableRandom random) {
    return min == max ? min : min + (max - min) * random.nextDouble();
  }

  AffineMap sampleForward(SplittableRandom random, int width, int height) {
    return forward(sampleFactor(random), width, height);
  }

  static AffineMap forward(double factor, int width, int height) {
    if (factor == 1) {
      return AffineMap.IDENTITY;
    }
    return AffineMap.scaleAbout(AffineMap.centreX(width), AffineMap.centreY(height), factor);
  }

  /**
   * Zooms {@code image} by a random factor.
   *
   * @param image the input
   * @param random the random source
   * @return the zoomed image, or the input when the factor is 1
   */
  @Override
  public GrayImage apply(GrayImage image, SplittableRandom random) {
    return Resampler.applyForward(image, sampleForward(random, image.width(), image.height()));
  }

  @Override
  int slot() {
    return 2;
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
    return new double[] {min, max};
  }

  @Override
  Zoom withParameterValues(double[] values) {
    return between(values[0], values[1]);
  }

  @Override
  void contribute(FusedSample sample, SplittableRandom random) {
    sample.transform(sampleForward(random, sample.width(), sample.height()));
  }
}
