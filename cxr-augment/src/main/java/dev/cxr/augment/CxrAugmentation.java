package dev.cxr.augment;

import com.google.common.collect.ImmutableList;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * value. A horizontal flip exists only as the opt-in {@link
 * AugmentationBuilder#horizontalFlipUnsafe(double)} and is off in every preset.
 *
 * <p><b>Steps.</b> A configuration is a seed, a probability and an ordered list of {@link
 * AugmentationStep}s ({@link #steps()}), one per enabled transform; each step owns its parameters,
 * validation, sampling, description and JSON form. Build one with {@link #builder()}, {@link
 * #of(long, double, List)}, a named {@link #preset(String)} or {@link #fromJson(Map)}.
 *
 * <p><b>Pipeline.</b> Each enabled transform fires independently with {@link #probability()} (the
 * flip with its own probability), and those that fire act in the order of {@link
 * AugmentationStep#types()}, fused: the geometric ones are composed into one affine map and the
 * image is resampled once, bilinearly with replicated borders, and brightness, contrast, gamma and
 * noise share one per-pixel pass (clamped to [0, 1]). Each transform's result equals that of its
 * step applied alone with the same random stream, except that the fused steps round and clamp once.
 *
 * <p><b>Determinism.</b> The random stream of every transform of every sample is derived from
 * (seed, epoch, sample index, transform slot) by {@link SplitMix64}, so a sample gets the same
 * augmentation whatever the number of threads or the order of the calls, and enabling one transform
 * does not change the draws of another. There is no global generator and no time-based seed; the
 * default seed is {@value #DEFAULT_SEED}.
 *
 * <p>Instances are immutable and thread-safe, compare by value (a record), serialise (through their
 * JSON form, re-validated on reading), and {@link #describe()} lists every parameter (cxr-core
 * stores {@link #parameters()} with saved models).
 *
 * @param seed the seed of every sample's random streams
 * @param probability the probability that each step fires, in [0, 1] (the horizontal flip has its
 *     own)
 * @param steps the steps in pipeline order, none of them an identity, at most one per type
 */
public record CxrAugmentation(long seed, double probability, List<AugmentationStep> steps)
    implements Serializable {

  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 42;

  /** The per-transform probability used when none is given (the article's 0.5). */
  public static final double DEFAULT_PROBABILITY = 0.5;

  /**
   * The canonical constructor, the same as {@link #of(long, double, List)}.
   *
   * @throws IllegalArgumentException for a probability out of range, a repeated type or steps out
   *     of pipeline order
   */
  public CxrAugmentation {
    Checks.inRange("probability", probability, 0, 1, "");
    steps = StepType.inPipelineOrder(steps);
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
    // a read-only view: the canonical constructor checks it and copies it
    return new CxrAugmentation(
        seed, probability, Collections.unmodifiableList(Objects.requireNonNull(steps, "steps")));
  }

  /**
   * Starts a configuration with every transform off, probability {@value #DEFAULT_PROBABILITY} and
   * seed {@value #DEFAULT_SEED}.
   *
   * @return a new builder
   */
  public static AugmentationBuilder builder() {
    return new AugmentationBuilder();
  }

  /**
   * The preset called {@code name}, with seed {@value #DEFAULT_SEED}; see {@link
   * AugmentationPreset}.
   *
   * @param name one of {@link #presetNames()}
   * @return the preset
   * @throws IllegalArgumentException listing the valid names when {@code name} is not one
   */
  public static CxrAugmentation preset(String name) {
    return AugmentationPreset.named(name).configuration();
  }

  /**
   * The names {@link #preset(String)} accepts, those of {@link AugmentationPreset}.
   *
   * @return an immutable list: {@code medical-safe, seed-article, none}
   */
  public static List<String> presetNames() {
    return AugmentationPreset.names();
  }

  /**
   * {@link AugmentationPreset#NONE}: {@link #apply(GrayImage, long, long)} returns its input.
   *
   * @return the identity configuration
   */
  public static CxrAugmentation none() {
    return AugmentationPreset.NONE.configuration();
  }

  /**
   * {@link AugmentationPreset#SEED_ARTICLE}: the article's rotation within +-10 degrees.
   *
   * @return the preset, seed {@value #DEFAULT_SEED}
   */
  public static CxrAugmentation seedArticle() {
    return AugmentationPreset.SEED_ARTICLE.configuration();
  }

  /**
   * {@link AugmentationPreset#MEDICAL_SAFE}, the default, whose documentation gives the reason for
   * each of its ranges.
   *
   * @return the preset, seed {@value #DEFAULT_SEED}
   */
  public static CxrAugmentation medicalSafe() {
    return AugmentationPreset.MEDICAL_SAFE.configuration();
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
    return ConfigJson.write(this);
  }

  /**
   * A builder holding this configuration's values.
   *
   * @return a new builder
   */
  public AugmentationBuilder toBuilder() {
    AugmentationBuilder b = builder().seed(seed).probability(probability);
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
    float[] out =
        FusedSample.augment(this, image.data(), image.width(), image.height(), epoch, sampleIndex);
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
    float[] out = FusedSample.augment(this, pixels, width, height, epoch, sampleIndex);
    return out == null ? pixels.clone() : out;
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
   * Returns the probability of the opt-in horizontal flip; 0 unless {@link
   * AugmentationBuilder#horizontalFlipUnsafe(double)} was called.
   *
   * @return a probability in [0, 1]
   */
  public double horizontalFlipProbability() {
    for (AugmentationStep s : steps) {
      if (s instanceof HorizontalFlip flip) {
        return flip.probability();
      }
    }
    return 0;
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
   * Serialises the JSON form instead of the fields, so the stream never depends on the step
   * classes' internals and is re-validated when read.
   *
   * @return the serial form
   */
  private Object writeReplace() {
    return new SerialForm(toJson());
  }

  /** The serial form: the JSON map, re-validated by {@link #fromJson(Map)} when read. */
  private record SerialForm(Map<String, Object> json) implements Serializable {
    private static final long serialVersionUID = 1L;

    private Object readResolve() {
      return fromJson(json);
    }
  }
}
