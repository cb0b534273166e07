package dev.cxr.augment;

import com.google.common.collect.ImmutableMap;
import dev.cxr.augment.FusedSample.Stage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One step of a {@link CxrAugmentation}: an immutable value holding its type and parameters, which
 * draws its random parameters and adds them to the fused pipeline. A configuration is a seed, a
 * probability and a list of steps in pipeline order ({@link #types()}).
 *
 * <p>The steps are the transform classes themselves ({@link Rotation}, {@link Zoom}, {@link
 * Translation}, {@link GaussianBlur}, {@link Brightness}, {@link Contrast}, {@link Gamma}, {@link
 * GaussianNoise}, {@link RandomErasing}, and the package-private horizontal flip reachable only
 * through {@link AugmentationBuilder#horizontalFlipUnsafe(double)} or the JSON type {@code
 * horizontalFlipUnsafe}), so each can also be applied alone as an {@link ImageTransform}, through
 * the same code as in the pipeline.
 *
 * <p>What every step has in common lives here: its parameters (declared by shape and limits in one
 * table, checked on construction), identity test, description, JSON form, equality and the one-step
 * rendering of {@link #apply(GrayImage, SplittableRandom)}. The geometric steps share their
 * family's way into the pipeline (an affine map, {@code GeometricStep}), as do brightness, contrast
 * and gamma (a value folded into the tone map, {@code ToneStep}); so a step class is its public
 * factory and accessors, its sampling and its kernel.
 *
 * <p>This is a sealed abstract class rather than an interface so that the hooks through which a
 * step joins the fused pipeline stay package-private: they speak in affine maps and pixel-level
 * accumulators that the public API must not offer (an affine map can express the vertical flips and
 * right-angle rotations this library refuses to provide).
 *
 * <p>The JSON form ({@link #toJson()}, {@link #fromJson(Map)}) is plain Java values, a map with a
 * {@code "type"} key and one number per parameter, e.g. {@code {"type": "zoom", "min": 0.9, "max":
 * 1.1}}; this module has no JSON library, so callers serialise the map with their own.
 */
public abstract sealed class AugmentationStep implements ImageTransform
    permits GeometricStep, ToneStep, GaussianBlur, GaussianNoise, RandomErasing {

  private final StepType kind;
  private final double[] values;

  /**
   * Package-private: only the classes of this package may extend it. Checks {@code values} as the
   * public factories document.
   */
  AugmentationStep(StepType kind, double[] values) {
    this.kind = kind;
    this.values = values.clone();
    kind.parameters().check(kind.typeName(), this.values);
  }

  /**
   * The step's type name, the {@code "type"} of its JSON form, e.g. {@code "rotation"}.
   *
   * @return the type name, one of {@link #types()}
   */
  public final String type() {
    return kind.typeName();
  }

  /**
   * Whether this step can never change an image (e.g. a rotation of at most 0 degrees). {@link
   * CxrAugmentation} leaves such steps out, so equal configurations have equal step lists.
   *
   * @return true when every draw of this step is the identity
   */
  public final boolean isIdentity() {
    return kind.parameters().isIdentity(values);
  }

  /**
   * Draws this step's parameters from {@code random} and applies them to {@code image} alone,
   * through the same fused rendering as the pipeline.
   *
   * @param image the input image; never changed
   * @param random the random source; its state advances
   * @return the transformed image, the input itself when the parameters are the identity
   */
  @Override
  public final GrayImage apply(GrayImage image, SplittableRandom random) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(random, "random");
    FusedSample sample = new FusedSample(image.width(), image.height());
    contribute(sample, random);
    float[] out = sample.render(image.data());
    return out == null ? image : GrayImage.wrap(image.width(), image.height(), out);
  }

  /**
   * Describes the step and its parameters on one line, in its JSON parameter names.
   *
   * @return e.g. {@code rotation(maxDegrees=10)} or {@code zoom(min=0.9, max=1.1)}
   */
  @Override
  public final String describe() {
    StringBuilder sb = new StringBuilder(type()).append('(');
    List<String> names = parameterNames();
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(Checks.fmt(values[i]));
    }
    return sb.append(')').toString();
  }

  /**
   * The step as plain JSON-ready values: {@code "type"} first, then every parameter as a {@link
   * Double}, in a fixed order. {@link #fromJson(Map)} reads it back.
   *
   * @return an immutable, ordered map
   */
  public final Map<String, Object> toJson() {
    ImmutableMap.Builder<String, Object> b = ImmutableMap.builder();
    b.put("type", type());
    List<String> names = parameterNames();
    for (int i = 0; i < values.length; i++) {
      b.put(names.get(i), values[i]);
    }
    return b.build();
  }

  /**
   * Reads a step from its {@link #toJson()} form, validating it exactly as the factories do.
   *
   * @param json a map with a {@code "type"} and every parameter of that type as a number
   * @return the step
   * @throws IllegalArgumentException naming the step and the parameter for an unknown type, a
   *     missing, unknown or non-numeric parameter, or a value out of range
   */
  public static AugmentationStep fromJson(Map<String, ?> json) {
    return ConfigJson.readStep(json);
  }

  /**
   * Every step type in pipeline order: the geometric steps (composed into one affine map and
   * resampled once), blur, the intensity steps (fused into one pass with the noise), erasing.
   *
   * @return {@code [horizontalFlipUnsafe, rotation, zoom, translation, blur, brightness, contrast,
   *     gamma, noise, randomErasing]}
   */
  public static List<String> types() {
    return StepType.pipelineNames();
  }

  /**
   * Same class and same parameters.
   *
   * @param o the other object
   * @return whether {@code o} is an equal step
   */
  @Override
  public final boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && Arrays.equals(((AugmentationStep) o).values, values);
  }

  /**
   * Hash of the type and the parameters, consistent with {@link #equals(Object)}.
   *
   * @return the hash code
   */
  @Override
  public final int hashCode() {
    return 31 * type().hashCode() + Arrays.hashCode(values);
  }

  /**
   * Same as {@link #describe()}.
   *
   * @return the description
   */
  @Override
  public final String toString() {
    return describe();
  }

  // ---- package-private ----

  /** The type of this step. */
  final StepType kind() {
    return kind;
  }

  /** The random-stream slot of this step's type; see {@link StepType#slot()}. */
  final int slot() {
    return kind.slot();
  }

  /** The JSON names of the parameters, in the order of {@link #parameterValues()}. */
  final List<String> parameterNames() {
    return kind.parameters().names();
  }

  /** The parameter values; a fresh array. */
  final double[] parameterValues() {
    return values.clone();
  }

  /** Parameter {@code i}, for the accessors of subclasses. */
  final double value(int i) {
    return values[i];
  }

  /**
   * The probability that this step fires, given the configuration's probability; overridden by the
   * flip, which has its own.
   */
  double fireProbability(double configurationProbability) {
    return configurationProbability;
  }

  /** The stage of {@link FusedSample} in which this step acts; it decides the pipeline order. */
  abstract Stage stage();

  /**
   * Draws this step's parameters from {@code random} (in the pipeline, its first draw already
   * decided that the step fires) and adds them to the fused rendering of one sample.
   */
  abstract void contribute(FusedSample sample, SplittableRandom random);
}
