package dev.cxr.augment;

import static com.google.common.collect.ImmutableList.toImmutableList;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.cxr.augment.StepParameters.FactorRange;
import dev.cxr.augment.StepParameters.Magnitude;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The step types: the one place that lists them, each with its JSON name, its parameters and the
 * constructor of its class.
 *
 * <p>Two facts are derived from this table rather than numbered by hand. A type's position here is
 * its random-stream slot ({@link #slot()}), so new types are appended: a saved seed replays the
 * same images only while every type keeps its slot ({@code AugmentationGoldenTest} pins them). The
 * pipeline order ({@link #pipeline()}) is the order of the stages of {@link FusedSample} in which
 * the steps act ({@link AugmentationStep#stage()}, given by each step's family), and this table's
 * order within a stage.
 */
enum StepType {
  HORIZONTAL_FLIP("horizontalFlipUnsafe", new Magnitude("probability", 1, ""), HorizontalFlip::new),
  ROTATION(
      "rotation", new Magnitude("maxDegrees", Rotation.LIMIT_DEGREES, " degrees"), Rotation::new),
  ZOOM("zoom", new FactorRange(Zoom.LIMIT_MIN, Zoom.LIMIT_MAX), Zoom::new),
  TRANSLATION(
      "translation",
      new Magnitude("maxFraction", Translation.LIMIT_FRACTION, " (fraction of the image size)"),
      Translation::new),
  BLUR(
      "blur",
      new Magnitude("maxSigma", GaussianBlur.LIMIT, " (sigma in pixels)"),
      GaussianBlur::new),
  BRIGHTNESS("brightness", new Magnitude("maxDelta", Brightness.LIMIT, ""), Brightness::new),
  CONTRAST("contrast", new Magnitude("maxDelta", Contrast.LIMIT, ""), Contrast::new),
  GAMMA("gamma", new FactorRange(Gamma.LIMIT_MIN, Gamma.LIMIT_MAX), Gamma::new),
  NOISE("noise", new Magnitude("sigma", GaussianNoise.LIMIT, " (sigma)"), GaussianNoise::new),
  RANDOM_ERASING(
      "randomErasing",
      new Magnitude("maxArea", RandomErasing.LIMIT, " (fraction of the image area)"),
      RandomErasing::new);

  private static final ImmutableMap<String, StepType> BY_NAME =
      Arrays.stream(values()).collect(ImmutableMap.toImmutableMap(t -> t.typeName, t -> t));

  private final String typeName;
  private final StepParameters parameters;
  private final Function<double[], AugmentationStep> constructor;

  StepType(
      String typeName,
      StepParameters parameters,
      Function<double[], AugmentationStep> constructor) {
    this.typeName = typeName;
    this.parameters = parameters;
    this.constructor = constructor;
  }

  /** The name of the type in the JSON form and in messages, e.g. {@code rotation}. */
  String typeName() {
    return typeName;
  }

  StepParameters parameters() {
    return parameters;
  }

  /** The random-stream slot: the position in this table, fixed once a type is released. */
  int slot() {
    return ordinal();
  }

  /** A step of this type with {@code values}, checked by the step's constructor. */
  AugmentationStep create(double[] values) {
    return constructor.apply(values);
  }

  /** The type called {@code name}, or null. */
  static StepType named(String name) {
    return BY_NAME.get(name);
  }

  /** Every type in pipeline order. */
  static ImmutableList<StepType> pipeline() {
    return Pipeline.ORDER;
  }

  /** Every type name in pipeline order; see {@link AugmentationStep#types()}. */
  static ImmutableList<String> pipelineNames() {
    return Pipeline.NAMES;
  }

  /**
   * {@code steps} checked to be in pipeline order with each type at most once, identity steps left
   * out; see {@link CxrAugmentation#of(long, double, List)}.
   */
  static ImmutableList<AugmentationStep> inPipelineOrder(List<? extends AugmentationStep> steps) {
    Objects.requireNonNull(steps, "steps");
    ImmutableList.Builder<AugmentationStep> kept = ImmutableList.builder();
    int last = -1;
    for (int i = 0; i < steps.size(); i++) {
      AugmentationStep step = Objects.requireNonNull(steps.get(i), "steps[" + i + "]");
      int index = Pipeline.ORDER.indexOf(step.kind());
      if (index <= last) {
        throw new IllegalArgumentException(
            "steps["
                + i
                + "]: "
                + step.type()
                + (index == last ? " appears twice" : " is out of order")
                + "; steps must be in pipeline order "
                + Pipeline.NAMES
                + ", each type at most once");
      }
      last = index;
      if (!step.isIdentity()) {
        kept.add(step);
      }
    }
    return kept.build();
  }

  /**
   * The pipeline order, built on first use: it asks a switched-off step of each type for its stage,
   * and steps can be made only once every constant of this enum exists.
   */
  private static final class Pipeline {
    static final ImmutableList<StepType> ORDER =
        Arrays.stream(values())
            .sorted(
                Comparator.comparing((StepType t) -> t.create(t.parameters.identity()).stage())
                    .thenComparing(StepType::slot))
            .collect(toImmutableList());

    static final ImmutableList<String> NAMES =
        ORDER.stream().map(StepType::typeName).collect(toImmutableList());
  }
}
