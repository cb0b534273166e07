package dev.cxr.augment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link CxrAugmentation}. Every setter validates its argument at once and throws an
 * {@link IllegalArgumentException} naming the parameter and the bad value; {@link #build()} never
 * changes the builder, so one builder can build several configurations.
 *
 * <p>Defaults, all in one place: every transform off (rotation 0, zoom [1, 1], translation 0,
 * brightness 0, contrast 0, gamma [1, 1], noise 0, blur 0, random erasing 0, horizontal flip 0),
 * probability {@value CxrAugmentation#DEFAULT_PROBABILITY}, seed {@value
 * CxrAugmentation#DEFAULT_SEED}.
 */
public final class AugmentationBuilder {
  private long seed = CxrAugmentation.DEFAULT_SEED;
  private double probability = CxrAugmentation.DEFAULT_PROBABILITY;

  /** At most one step per type; a switched-off step is dropped by {@link #build()}. */
  private final Map<StepType, AugmentationStep> steps = new EnumMap<>(StepType.class);

  AugmentationBuilder() {}

  /**
   * Rotation by up to {@code maxDegrees} either way; see {@link Rotation}.
   *
   * @param maxDegrees in [0, 30]; 0 turns it off
   * @return this builder
   * @throws IllegalArgumentException naming {@code rotation} when out of range
   */
  public AugmentationBuilder rotation(double maxDegrees) {
    return step(Rotation.upTo(maxDegrees));
  }

  /**
   * Zoom by a factor in {@code [min, max]}; see {@link Zoom}.
   *
   * @param min smallest factor, in [0.5, 2]
   * @param max largest factor, in [0.5, 2], at least {@code min}; {@code (1, 1)} turns it off
   * @return this builder
   * @throws IllegalArgumentException naming {@code zoom} when out of range
   */
  public AugmentationBuilder zoom(double min, double max) {
    return step(Zoom.between(min, max));
  }

  /**
   * Translation by up to {@code maxFraction} of the image size on each axis; see {@link
   * Translation}.
   *
   * @param maxFraction in [0, 0.2]; 0 turns it off
   * @return this builder
   * @throws IllegalArgumentException naming {@code translation} when out of range
   */
  public AugmentationBuilder translation(double maxFraction) {
    return step(Translation.upTo(maxFraction));
  }

  /**
   * Brightness shift of up to {@code maxDelta}; see {@link Brightness}.
   *
   * @param maxDelta in [0, 0.5]; 0 turns it off
   * @return this builder
   * @throws IllegalArgumentException naming {@code brightness} when out of range
   */
  public AugmentationBuilder brightness(double maxDelta) {
    return step(Brightness.upTo(maxDelta));
  }

  /**
   * Contrast factor within {@code 1 +- maxDelta}; see {@link Contrast}.
   *
   * @param maxDelta in [0, 0.5]; 0 turns it off
   * @return this builder
   * @throws IllegalArgumentException naming {@code contrast} when out of range
   */
  public AugmentationBuilder contrast(double maxDelta) {
    return step(Contrast.upTo(maxDelta));
  }

  /**
   * Gamma in {@code [min, max]}; see {@link Gamma}.
   *
   * @param min smallest gamma, in [0.5, 2]
   * @param max largest gamma, in [0.5, 2], at least {@code min}; {@code (1, 1)} turns it off
   * @return this builder
   * @throws IllegalArgumentException naming {@code gamma} when out of range
   */
  public AugmentationBuilder gamma(double min, double max) {
    return step(Gamma.between(min, max));
  }

  /**
   * Additive Gaussian noise of standard deviation {@code sigma}; see {@link GaussianNoise}.
   *
   * @param sigma in [0, 0.2]; 0 turns it off
   * @return this builder
   * @throws IllegalArgumentException naming {@code noise} when out of range
   */
  public AugmentationBuilder noise(double sigma) {
    return step(GaussianNoise.withSigma(sigma));
  }

  /**
   * Gaussian blur with sigma up to {@code maxSigma} pixels; see {@link GaussianBlur}.
   *
   * @param maxSigma in [0, 3]; 0 turns it off
   * @return this builder
   * @throws IllegalArgumentException naming {@code blur} when out of range
   */
  public AugmentationBuilder blur(double maxSigma) {
    return step(GaussianBlur.upTo(maxSigma));
  }

  /**
   * Random erasing of up to {@code maxArea} of the image; see {@link RandomErasing}.
   *
   * @param maxArea in [0, 0.4]; 0 turns it off
   * @return this builder
   * @throws IllegalArgumentException naming {@code randomErasing} when out of range
   */
  public AugmentationBuilder randomErasing(double maxArea) {
    return step(RandomErasing.upTo(maxArea));
  }

  /**
   * The probability with which each enabled transform fires, independently of the others.
   *
   * @param p in [0, 1]
   * @return this builder
   * @throws IllegalArgumentException naming {@code probability} when out of range
   */
  public AugmentationBuilder probability(double p) {
    this.probability = Checks.inRange("probability", p, 0, 1, "");
    return this;
  }

  /**
   * The seed from which every sample's random stream is derived.
   *
   * @param seed any value
   * @return this builder
   */
  public AugmentationBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * <strong>Unsafe for chest radiographs; off by default and in every preset.</strong> Mirrors the
   * image left to right with probability {@code p}. A mirrored chest film shows the heart on the
   * right (dextrocardia, a rare real condition), moves every lateralised finding to the other side
   * and reverses the side marker, so a model trained on flips learns a world that does not exist
   * and can no longer tell the side of a finding. Use it only for tasks that are provably symmetric
   * and after reading this. Vertical flips and right-angle rotations are not offered at all.
   *
   * @param p probability of the flip, in [0, 1]; 0 turns it off
   * @return this builder
   * @throws IllegalArgumentException naming {@code horizontalFlipUnsafe} when out of range
   */
  public AugmentationBuilder horizontalFlipUnsafe(double p) {
    return step(HorizontalFlip.withProbability(p));
  }

  /**
   * Sets the step of {@code step}'s type, replacing any set before; e.g. {@code
   * step(Zoom.between(0.9, 1.1))} is {@code zoom(0.9, 1.1)}.
   *
   * @param step the step, already validated by its factory
   * @return this builder
   */
  public AugmentationBuilder step(AugmentationStep step) {
    steps.put(Objects.requireNonNull(step, "step").kind(), step);
    return this;
  }

  /**
   * Builds the configuration; the builder is left unchanged.
   *
   * @return a new immutable configuration
   */
  public CxrAugmentation build() {
    List<AugmentationStep> ordered = new ArrayList<>(steps.values());
    ordered.sort(Comparator.comparingInt(s -> StepType.pipeline().indexOf(s.kind())));
    return CxrAugmentation.of(seed, probability, ordered);
  }
}
