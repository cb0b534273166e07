package dev.cxr.augment;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * An immutable, thread-safe augmentation configuration for chest radiographs, and the fused
 * pipeline that applies it.
 *
 * <pre>{@code
 * CxrAugmentation aug = CxrAugmentation.builder()
 *     .rotation(10).zoom(0.9, 1.1).brightness(0.1).probability(0.5).seed(42).build();
 * float[] augmented = aug.apply(pixels, 256, 256, epoch, sampleIndex);
 * }</pre>
 *
 * <p>It follows the chest-X-ray-restricted augmentation of the article "Detecting anomalies in
 * X-ray using CNN" (NIH ChestX-ray14, Effusion vs No Finding; {@link #seedArticle()} reproduces its
 * notebook) and extends it with the transforms of {@link #medicalSafe()}.
 *
 * <p><b>Medical safety.</b> A radiograph has a fixed orientation, the heart is on the patient's
 * left and findings have a side, so vertical flips and right-angle rotations are not offered at
 * all, rotation is limited to 30 degrees, zoom to [0.5, 2] and translation to 20% of the image;
 * larger values are rejected with an {@link IllegalArgumentException} naming the parameter and
 * value. A horizontal flip exists only as the opt-in {@link Builder#horizontalFlipUnsafe(double)}
 * and is off in every preset.
 *
 * <p><b>Steps.</b> A configuration is a seed, a probability and an ordered list of {@link
 * AugmentationStep}s ({@link #steps()}), one per enabled transform; each step owns its parameters,
 * validation, sampling, description and JSON form, so this class names no transform outside its
 * {@link Builder} and the flat {@link #parameters()} layout kept for saved models. Build one with
 * {@link #builder()}, {@link #of(long, double, List)}, a named {@link #preset(String)} or {@link
 * #fromJson(Map)}.
 *
 * <p><b>Pipeline.</b> Each enabled transform fires independently with {@link #probability()} (the
 * flip with its own probability). The geometric transforms that fire (flip, rotation, zoom,
 * translation, in that order) are composed into one affine map and the image is resampled once,
 * bilinearly with replicated borders; then blur; then brightness, contrast and gamma fused into one
 * per-pixel pass (clamped to [0, 1]); then Gaussian noise (clamped); then random erasing. Each
 * transform's result equals that of its {@link ImageTransform} class applied alone with the same
 * random stream, except that the fused geometric and intensity steps round and clamp once.
 *
 * <p><b>Determinism.</b> The random stream of every transform of every sample is derived from
 * (seed, epoch, sample index, transform slot) by {@link SplitMix64}, so a sample gets the same
 * augmentation whatever the number of threads or the order of the calls, and enabling one transform
 * does not change the draws of another. There is no global generator and no time-based seed; the
 * default seed is {@value #DEFAULT_SEED}.
 *
 * <p>Instances are immutable and thread-safe, compare by value, serialise (through their JSON form,
 * re-validated on reading), and {@link #describe()} lists every parameter (cxr-core stores {@link
 * #parameters()} with saved models).
 */
public final class CxrAugmentation implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 42;

  /** The per-transform probability used when none is given (the article's 0.5). */
  public static final double DEFAULT_PROBABILITY = 0.5;

  /** The presets by name, in the order the CLI lists them: the one place their names live. */
  private static final ImmutableMap<String, Supplier<CxrAugmentation>> PRESETS =
      ImmutableMap.of(
          "medical-safe", CxrAugmentation::medicalSafe,
          "seed-article", CxrAugmentation::seedArticle,
          "none", CxrAugmentation::none);

  /** The seed of every sample's random streams. */
  private final long seed;

  /** Probability that each step other than the flip fires. */
  private final double probability;

  /** The steps in pipeline order, none of them an identity, at most one per type. */
  private final ImmutableList<AugmentationStep> steps;

  private CxrAugmentation(long seed, double probability, ImmutableList<AugmentationStep> steps) {
    this.seed = seed;
    this.probability = probability;
    this.steps = steps;
  }

  /**
   * A configuration from a seed, a probability and steps. Steps that can never change an image
   * ({@link AugmentationStep#isIdentity()}) are left out, so equal configurations have equal {@link
   * #steps()}.
   *
   * @param seed the seed of every sample's random streams
   * @param probability the probability that each step fires, in [0, 1] (the horizontal flip has its
   *     own)
   * @param steps at most one step per type, in pipeline order ({@link AugmentationStep#types()}):
   *     the fused pipeline runs them in that order whatever the list says, so a list in another
   *     order is rejected rather than silently reordered
   * @return the configuration
   * @throws IllegalArgumentException for a probability out of range, a repeated type or steps out
   *     of pipeline order
   */
  public static CxrAugmentation of(
      long seed, double probability, List<? extends AugmentationStep> steps) {
    Checks.inRange("probability", probability, 0, 1, "");
    return new CxrAugmentation(seed, probability, StepTypes.pipeline(steps));
  }

  /**
   * Starts a configuration with every transform off, probability {@value #DEFAULT_PROBABILITY} and
   * seed {@value #DEFAULT_SEED}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The preset called {@code name}, with seed {@value #DEFAULT_SEED}.
   *
   * @param name one of {@link #presetNames()}
   * @return the preset
   * @throws IllegalArgumentException listing the valid names when {@code name} is not one
   */
  public static CxrAugmentation preset(String name) {
    Supplier<CxrAugmentation> preset = PRESETS.get(Objects.requireNonNull(name, "name"));
    if (preset == null) {
      throw new IllegalArgumentException(
          "unknown augmentation preset '"
              + name
              + "'; valid presets are "
              + String.join(", ", PRESETS.keySet()));
    }
    return preset.get();
  }

  /**
   * The names {@link #preset(String)} accepts: {@code medical-safe} ({@link #medicalSafe()}),
   * {@code seed-article} ({@link #seedArticle()}) and {@code none} ({@link #none()}).
   *
   * @return an immutable list, in that order
   */
  public static List<String> presetNames() {
    return PRESETS.keySet().asList();
  }

  /**
   * No augmentation: {@link #apply(GrayImage, long, long)} returns its input. For validation and
   * test splits.
   *
   * @return the identity configuration
   */
  public static CxrAugmentation none() {
    return builder().build();
  }

  /**
   * Exactly the article's notebook: a rotation within +-10 degrees applied with probability 0.5; no
   * shifts, no zoom, no flips, no intensity changes.
   *
   * @return the preset, seed {@value #DEFAULT_SEED}
   */
  public static CxrAugmentation seedArticle() {
    return builder().rotation(10).probability(0.5).build();
  }

  /**
   * A richer default that keeps every anatomical fact a reader relies on. Each transform fires with
   * probability 0.5:
   *
   * <ul>
   *   <li>rotation within +-10 degrees (the article's range): patient tilt on the detector;
   *   <li>zoom in [0.9, 1.1]: body habitus and source-to-detector distance vary by about this much,
   *       and the lung bases (where effusions collect) stay in the picture;
   *   <li>translation up to 5% of the image on each axis: positioning, again keeping the
   *       costophrenic angles in view;
   *   <li>brightness +-0.1, contrast factor in [0.9, 1.1], gamma in [0.8, 1.25]: exposure, tube
   *       voltage and the look-up tables of different vendors, while 0 and 1 stay fixed under gamma
   *       and a fluid meniscus stays visible;
   *   <li>Gaussian noise with sigma 0.01 (1% of the range): quantum noise at lower dose, small
   *       enough not to mask fine pleural lines.
   * </ul>
   *
   * <p>Not included: any flip (the heart and the side of findings would move), blur (it erases the
   * fine lines a model should learn) and random erasing (it can hide the labelled finding and so
   * turn positives into mislabelled negatives).
   *
   * @return the preset, seed {@value #DEFAULT_SEED}
   */
  public static CxrAugmentation medicalSafe() {
    return builder()
        .rotation(10)
        .zoom(0.9, 1.1)
        .translation(0.05)
        .brightness(0.1)
        .contrast(0.1)
        .gamma(0.8, 1.25)
        .noise(0.01)
        .probability(0.5)
        .build();
  }

  /**
   * Rebuilds a configuration from {@link #parameters()}, e.g. read back from a model saved by any
   * release. Missing keys keep the builder defaults; every value is validated as by the builder.
   *
   * @param parameters numbers keyed by the names {@link #parameters()} uses
   * @return the configuration
   * @throws IllegalArgumentException for an unknown key or a value out of range
   */
  public static CxrAugmentation fromParameters(Map<String, ? extends Number> parameters) {
    return FlatParameters.read(parameters);
  }

  /**
   * Reads a configuration from its {@link #toJson()} form, as parsed by any JSON library into maps,
   * lists, numbers and strings. {@code seed} (an integer) and {@code probability} default to
   * {@value #DEFAULT_SEED} and {@value #DEFAULT_PROBABILITY} when absent; {@code steps} defaults to
   * none. Every value is validated as by the builder.
   *
   * @param json a map with the keys {@code seed}, {@code probability} and {@code steps}, each step
   *     a map as read by {@link AugmentationStep#fromJson(Map)}
   * @return the configuration
   * @throws IllegalArgumentException naming the step (by index and type) and the parameter for an
   *     unknown key or step type, a value of the wrong kind or out of range, or steps out of order
   */
  public static CxrAugmentation fromJson(Map<String, ?> json) {
    return ConfigJson.read(json);
  }

  /**
   * The configuration as plain JSON-ready values: {@code {"seed": Long, "probability": Double,
   * "steps": [step, ...]}} with each step as {@link AugmentationStep#toJson()} gives it, in
   * pipeline order. {@link #fromJson(Map)} reads it back to an equal configuration.
   *
   * @return an immutable, ordered map
   */
  public Map<String, Object> toJson() {
    return ImmutableMap.of(
        "seed",
        seed,
        "probability",
        probability,
        "steps",
        steps.stream().map(AugmentationStep::toJson).collect(ImmutableList.toImmutableList()));
  }

  /**
   * A builder holding this configuration's values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder().seed(seed).probability(probability);
    steps.forEach(b::step);
    return b;
  }

  /**
   * This configuration with another seed.
   *
   * @param newSeed the seed
   * @return a new configuration, equal to this one except for the seed
   */
  public CxrAugmentation withSeed(long newSeed) {
    return new CxrAugmentation(newSeed, probability, steps);
  }

  /**
   * Augments one image. Pure: the result depends only on this configuration, the image, {@code
   * epoch} and {@code sampleIndex}, so calls may run on any thread in any order.
   *
   * @param image the input, normally in [0, 1]; never changed
   * @param epoch the training epoch (a new epoch draws new augmentations)
   * @param sampleIndex a stable index of the sample in the training set
   * @return the augmented image, or {@code image} itself when no transform fired
   */
  public GrayImage apply(GrayImage image, long epoch, long sampleIndex) {
    Objects.requireNonNull(image, "image");
    float[] out = augment(image.data(), image.width(), image.height(), epoch, sampleIndex);
    return out == null ? image : GrayImage.wrap(image.width(), image.height(), out);
  }

  /**
   * Augments one image given in cxr-core's layout: {@code width * height} row-major floats.
   *
   * @param pixels the input, normally in [0, 1]; never changed
   * @param width width in pixels
   * @param height height in pixels
   * @param epoch the training epoch
   * @param sampleIndex a stable index of the sample in the training set
   * @return a new array (a copy of the input when no transform fired)
   * @throws IllegalArgumentException when {@code pixels.length != width * height}
   */
  public float[] apply(float[] pixels, int width, int height, long epoch, long sampleIndex) {
    Objects.requireNonNull(pixels, "pixels");
    GrayImage.checkShape(width, height, pixels.length);
    float[] out = augment(pixels, width, height, epoch, sampleIndex);
    return out == null ? pixels.clone() : out;
  }

  /** The fused pipeline; returns a new array, or null when nothing changed. */
  private float[] augment(float[] src, int w, int h, long epoch, long sampleIndex) {
    long s = SeedMixer.sampleSeed(seed, epoch, sampleIndex);
    FusedSample sample = null;
    for (AugmentationStep step : steps) {
      double p = step.fireProbability(probability);
      if (p > 0) {
        // every step has its own stream, so enabling one never shifts another's draws
        SplittableRandom r = SeedMixer.stream(s, step.slot());
        if (r.nextDouble() < p) {
          sample = sample != null ? sample : new FusedSample(w, h);
          step.contribute(sample, r);
        }
      }
    }
    return sample == null ? null : sample.render(src);
  }

  /**
   * The steps in pipeline order, the horizontal flip included when opted in; {@link #of(long,
   * double, List)} with {@link #seed()} and {@link #probability()} rebuilds this configuration.
   *
   * @return an immutable list, empty for {@link #none()}
   */
  public List<AugmentationStep> steps() {
    return steps;
  }

  /**
   * The enabled transforms in pipeline order (the horizontal flip, when opted in, is not an {@link
   * ImageTransform} offered publicly and is reported by {@link #horizontalFlipProbability()}
   * instead).
   *
   * @return an immutable list, empty for {@link #none()}
   */
  public List<ImageTransform> transforms() {
    return steps.stream()
        .filter(s -> !(s instanceof HorizontalFlip))
        .collect(ImmutableList.toImmutableList());
  }

  /**
   * Whether no image can ever change: no step fires with a positive probability (no steps and no
   * flip, or probability 0 and no flip).
   *
   * @return true when {@link #apply(GrayImage, long, long)} always returns its input
   */
  public boolean isIdentity() {
    return steps.stream().allMatch(s -> s.fireProbability(probability) == 0);
  }

  /**
   * Returns the seed.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * Returns the probability with which each enabled transform fires.
   *
   * @return a probability in [0, 1]
   */
  public double probability() {
    return probability;
  }

  /**
   * Returns the probability of the opt-in horizontal flip; 0 unless {@link
   * Builder#horizontalFlipUnsafe(double)} was called.
   *
   * @return a probability in [0, 1]
   */
  public double horizontalFlipProbability() {
    return ((HorizontalFlip) step(HorizontalFlip.TYPE)).probability();
  }

  /** The step of {@code type}, or its switched-off instance when this configuration has none. */
  AugmentationStep step(String type) {
    for (AugmentationStep s : steps) {
      if (s.type().equals(type)) {
        return s;
      }
    }
    return StepTypes.off(type);
  }

  /**
   * Every parameter by name, in a fixed order: {@code seed} (a Long) and the Doubles {@code
   * probability, rotation, zoomMin, zoomMax, translation, brightness, contrast, gammaMin, gammaMax,
   * noise, blur, randomErasing, horizontalFlipUnsafe}. {@link #fromParameters(Map)} reads it back.
   * The layout of the first release, kept for saved models; {@link #toJson()} is the open-ended
   * form.
   *
   * @return an immutable, ordered map
   */
  public Map<String, Number> parameters() {
    return FlatParameters.of(this);
  }

  /**
   * Lists every parameter on one line, e.g. {@code CxrAugmentation{seed=42, probability=0.5,
   * rotation=10, zoom=[1, 1], ...}}.
   *
   * @return the description
   */
  public String describe() {
    return FlatParameters.describe(this);
  }

  /**
   * Same as {@link #describe()}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return describe();
  }

  /**
   * Two configurations are equal when the seeds, the probabilities and the steps are equal.
   *
   * @param o the other object
   * @return whether {@code o} is an equal configuration
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof CxrAugmentation other
        && seed == other.seed
        && Double.compare(probability, other.probability) == 0
        && steps.equals(other.steps);
  }

  /**
   * Hash of all parameters, consistent with {@link #equals(Object)}.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(seed, probability, steps);
  }

  /**
   * Serialises the JSON form instead of the fields, so the stream never depends on the step
   * classes' internals and is re-validated when read.
   *
   * @return the serial form
   */
  private Object writeReplace() {
    return new SerialForm(toJson());
  }

  /**
   * Rejects a stream that bypasses {@link #writeReplace()}, which could smuggle in unvalidated
   * values.
   *
   * @param in the stream
   * @throws InvalidObjectException always
   */
  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("CxrAugmentation is serialised through its SerialForm");
  }

  /** The serial form: the JSON map, re-validated by {@link #fromJson(Map)} when read. */
  private record SerialForm(Map<String, Object> json) implements Serializable {
    private static final long serialVersionUID = 1L;

    private Object readResolve() {
      return fromJson(json);
    }
  }

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
  public static final class Builder {
    private long seed = DEFAULT_SEED;
    private double probability = DEFAULT_PROBABILITY;

    /** At most one step per type; a switched-off step is dropped by {@link #build()}. */
    private final Map<String, AugmentationStep> steps = new HashMap<>();

    private Builder() {}

    /**
     * Rotation by up to {@code maxDegrees} either way; see {@link Rotation}.
     *
     * @param maxDegrees in [0, 30]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code rotation} when out of range
     */
    public Builder rotation(double maxDegrees) {
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
    public Builder zoom(double min, double max) {
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
    public Builder translation(double maxFraction) {
      return step(Translation.upTo(maxFraction));
    }

    /**
     * Brightness shift of up to {@code maxDelta}; see {@link Brightness}.
     *
     * @param maxDelta in [0, 0.5]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code brightness} when out of range
     */
    public Builder brightness(double maxDelta) {
      return step(Brightness.upTo(maxDelta));
    }

    /**
     * Contrast factor within {@code 1 +- maxDelta}; see {@link Contrast}.
     *
     * @param maxDelta in [0, 0.5]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code contrast} when out of range
     */
    public Builder contrast(double maxDelta) {
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
    public Builder gamma(double min, double max) {
      return step(Gamma.between(min, max));
    }

    /**
     * Additive Gaussian noise of standard deviation {@code sigma}; see {@link GaussianNoise}.
     *
     * @param sigma in [0, 0.2]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code noise} when out of range
     */
    public Builder noise(double sigma) {
      return step(GaussianNoise.withSigma(sigma));
    }

    /**
     * Gaussian blur with sigma up to {@code maxSigma} pixels; see {@link GaussianBlur}.
     *
     * @param maxSigma in [0, 3]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code blur} when out of range
     */
    public Builder blur(double maxSigma) {
      return step(GaussianBlur.upTo(maxSigma));
    }

    /**
     * Random erasing of up to {@code maxArea} of the image; see {@link RandomErasing}.
     *
     * @param maxArea in [0, 0.4]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code randomErasing} when out of range
     */
    public Builder randomErasing(double maxArea) {
      return step(RandomErasing.upTo(maxArea));
    }

    /**
     * The probability with which each enabled transform fires, independently of the others.
     *
     * @param p in [0, 1]
     * @return this builder
     * @throws IllegalArgumentException naming {@code probability} when out of range
     */
    public Builder probability(double p) {
      this.probability = Checks.inRange("probability", p, 0, 1, "");
      return this;
    }

    /**
     * The seed from which every sample's random stream is derived.
     *
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * <strong>Unsafe for chest radiographs; off by default and in every preset.</strong> Mirrors
     * the image left to right with probability {@code p}. A mirrored chest film shows the heart on
     * the right (dextrocardia, a rare real condition), moves every lateralised finding to the other
     * side and reverses the side marker, so a model trained on flips learns a world that does not
     * exist and can no longer tell the side of a finding. Use it only for tasks that are provably
     * symmetric and after reading this. Vertical flips and right-angle rotations are not offered at
     * all.
     *
     * @param p probability of the flip, in [0, 1]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code horizontalFlipUnsafe} when out of range
     */
    public Builder horizontalFlipUnsafe(double p) {
      return step(HorizontalFlip.withProbability(p));
    }

    /**
     * Sets the step of {@code step}'s type, replacing any set before; e.g. {@code
     * step(Zoom.between(0.9, 1.1))} is {@code zoom(0.9, 1.1)}.
     *
     * @param step the step, already validated by its factory
     * @return this builder
     */
    public Builder step(AugmentationStep step) {
      steps.put(Objects.requireNonNull(step, "step").type(), step);
      return this;
    }

    /**
     * Builds the configuration; the builder is left unchanged.
     *
     * @return a new immutable configuration
     */
    public CxrAugmentation build() {
      List<AugmentationStep> ordered = new ArrayList<>(steps.values());
      ordered.sort(Comparator.comparingInt(s -> StepTypes.pipelineIndex(s.type())));
      return of(seed, probability, ordered);
    }
  }
}
