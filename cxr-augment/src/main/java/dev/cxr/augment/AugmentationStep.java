package dev.cxr.augment;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One step of a {@link CxrAugmentation}: an immutable value that owns its parameters, their
 * validation, its random sampling, its description and its JSON form. A configuration is a seed, a
 * probability and a list of steps in pipeline order ({@link #types()}).
 *
 * <p>The steps are the transform classes themselves ({@link Rotation}, {@link Zoom}, {@link
 * Translation}, {@link GaussianBlur}, {@link Brightness}, {@link Contrast}, {@link Gamma}, {@link
 * GaussianNoise}, {@link RandomErasing}, and the package-private horizontal flip reachable only
 * through {@link CxrAugmentation.Builder#horizontalFlipUnsafe(double)} or the JSON type {@code
 * horizontalFlipUnsafe}), so each can also be applied alone as an {@link ImageTransform}.
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
    permits HorizontalFlip,
        Rotation,
        Zoom,
        Translation,
        GaussianBlur,
        Brightness,
        Contrast,
        Gamma,
        GaussianNoise,
        RandomErasing {

  // Package-private: only the permitted classes of this package may extend it.
  AugmentationStep() {}

  /**
   * The step's type name, the {@code "type"} of its JSON form, e.g. {@code "rotation"}.
   *
   * @return the type name, one of {@link #types()}
   */
  public abstract String type();

  /**
   * Whether this step can never change an image (e.g. a rotation of at most 0 degrees). {@link
   * CxrAugmentation} leaves such steps out, so equal configurations have equal step lists.
   *
   * @return true when every draw of this step is the identity
   */
  public abstract boolean isIdentity();

  /**
   * Describes the step and its parameters on one line, in its JSON parameter names.
   *
   * @return e.g. {@code rotation(maxDegrees=10)} or {@code zoom(min=0.9, max=1.1)}
   */
  @Override
  public final String describe() {
    StringBuilder sb = new StringBuilder(type()).append('(');
    List<String> names = parameterNames();
    double[] values = parameterValues();
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
    double[] values = parameterValues();
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
    return StepTypes.read(json);
  }

  /**
   * Every step type in pipeline order: the geometric steps (composed into one affine map and
   * resampled once), blur, the intensity steps (fused into one pass with the noise), erasing.
   *
   * @return {@code [horizontalFlipUnsafe, rotation, zoom, translation, blur, brightness, contrast,
   *     gamma, noise, randomErasing]}
   */
  public static List<String> types() {
    return StepTypes.types();
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
        && Arrays.equals(((AugmentationStep) o).parameterValues(), parameterValues());
  }

  /**
   * Hash of the type and the parameters, consistent with {@link #equals(Object)}.
   *
   * @return the hash code
   */
  @Override
  public final int hashCode() {
    return 31 * type().hashCode() + Arrays.hashCode(parameterValues());
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

  // ---- package-private hooks ----

  /**
   * The random-stream slot of this type. Fixed forever (flip 0, rotation 1, zoom 2, translation 3,
   * blur 4, brightness 5, contrast 6, gamma 7, noise 8, erasing 9): a saved seed reproduces the
   * same augmentation only while every type keeps its slot.
   */
  abstract int slot();

  /** The JSON names of the parameters, in the order of {@link #parameterValues()}. */
  abstract List<String> parameterNames();

  /**
   * The names of the parameters in the flat {@link CxrAugmentation#parameters()} map of the first
   * release (e.g. {@code zoomMin, zoomMax}), in the order of {@link #parameterValues()}.
   */
  abstract List<String> flatNames();

  /** The parameter values; a fresh array. */
  abstract double[] parameterValues();

  /**
   * A step of the same type with these parameter values, validated by the public factory (so the
   * messages are the builder's).
   */
  abstract AugmentationStep withParameterValues(double[] values);

  /**
   * The probability that this step fires, given the configuration's probability; overridden by the
   * flip, which has its own.
   */
  double fireProbability(double configurationProbability) {
    return configurationProbability;
  }

  /**
   * Draws this step's parameters from {@code random} (whose first draw already decided that the
   * step fires) and adds them to the fused pipeline of one sample.
   */
  abstract void contribute(FusedSample sample, SplittableRandom random);

  /** This step's part of the flat parameter map, e.g. {@code zoomMin=0.9, zoomMax=1.1}. */
  final ImmutableMap<String, Double> flatParameters() {
    ImmutableMap.Builder<String, Double> b = ImmutableMap.builder();
    List<String> names = flatNames();
    double[] values = parameterValues();
    for (int i = 0; i < values.length; i++) {
      b.put(names.get(i), values[i]);
    }
    return b.build();
  }

  /** This step's part of {@link CxrAugmentation#describe()}, e.g. {@code zoom=[0.9, 1.1]}. */
  final String flatDescription() {
    double[] v = parameterValues();
    if (v.length == 1) {
      return type() + "=" + Checks.fmt(v[0]);
    }
    return type() + "=[" + Checks.fmt(v[0]) + ", " + Checks.fmt(v[1]) + "]";
  }

  /**
   * A step of this type whose parameters named in {@code flat} (by {@link #flatNames()}) are
   * replaced and the others kept, as the builder of the first release did.
   */
  final AugmentationStep withFlatParameters(Map<String, Double> flat) {
    List<String> names = flatNames();
    double[] values = parameterValues();
    for (int i = 0; i < values.length; i++) {
      values[i] = flat.getOrDefault(names.get(i), values[i]);
    }
    return withParameterValues(values);
  }

  /** A list of names, for the {@code parameterNames()} and {@code flatNames()} of subclasses. */
  static ImmutableList<String> names(String... names) {
    return ImmutableList.copyOf(names);
  }
}
