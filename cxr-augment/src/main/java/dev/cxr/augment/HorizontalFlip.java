package dev.cxr.augment;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Mirrors the image left to right. <strong>Unsafe for chest radiographs</strong>: it moves the
 * heart to the right (dextrocardia, a real and rare condition), swaps the side of every finding and
 * mirrors the side marker. Package-private: the only ways to use it are the explicitly named opt-in
 * {@link CxrAugmentation.Builder#horizontalFlipUnsafe(double)} and the equally named JSON step type
 * {@code horizontalFlipUnsafe}.
 *
 * <p>Unlike the other steps it fires with its own {@link #probability()}, not the configuration's:
 * so that turning it on never changes how often the safe transforms fire. As an {@link
 * ImageTransform} applied alone it always mirrors.
 *
 * <p>JSON form: {@code {"type": "horizontalFlipUnsafe", "probability": 0.5}}.
 */
final class HorizontalFlip extends AugmentationStep {
  static final String TYPE = "horizontalFlipUnsafe";
  static final HorizontalFlip OFF = new HorizontalFlip(0);
  private static final List<String> NAMES = names("probability");
  private static final List<String> FLAT_NAMES = names("horizontalFlipUnsafe");

  private final double probability;

  private HorizontalFlip(double probability) {
    this.probability = probability;
  }

  /** A flip firing with probability {@code p}, in [0, 1]. */
  static HorizontalFlip withProbability(double p) {
    return new HorizontalFlip(Checks.inRange("horizontalFlipUnsafe", p, 0, 1, ""));
  }

  double probability() {
    return probability;
  }

  static AffineMap forward(int width) {
    return AffineMap.mirrorX(AffineMap.centreX(width));
  }

  /**
   * Mirrors {@code image}; the random source is not used.
   *
   * @param image the input
   * @param random unused
   * @return the mirrored image
   */
  @Override
  public GrayImage apply(GrayImage image, SplittableRandom random) {
    return Resampler.applyForward(image, forward(image.width()));
  }

  /**
   * Returns {@code "horizontalFlipUnsafe"}, the name of the builder's opt-in.
   *
   * @return the type name
   */
  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Whether the flip never fires.
   *
   * @return true for probability 0
   */
  @Override
  public boolean isIdentity() {
    return probability == 0;
  }

  @Override
  int slot() {
    return 0;
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
    return new double[] {probability};
  }

  @Override
  HorizontalFlip withParameterValues(double[] values) {
    return withProbability(values[0]);
  }

  @Override
  double fireProbability(double configurationProbability) {
    return probability;
  }

  @Override
  void contribute(FusedSample sample, SplittableRandom random) {
    sample.transform(forward(sample.width()));
  }
}
