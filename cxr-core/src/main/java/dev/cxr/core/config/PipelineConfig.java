package dev.cxr.core.config;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.Sampler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a pipeline trains with, as data: immutable, checked in its compact constructor (so a
 * configuration read back from a saved model is as valid as one made by a builder), and stored
 * whole in every saved model, from which {@code CxrPipeline.builder(config)} trains the same model
 * again. {@link #DEFAULTS} holds every default in one place; {@link Limits} every limit.
 *
 * <p>One seed drives the split, the weights, shuffling and augmentation: the stored augmentation
 * always carries the run's {@link #seed()} (its own seed is replaced), so what is recorded is what
 * was used.
 *
 * @param depth ResNet depth (one of {@link Limits#DEPTHS})
 * @param preActivation pre-activation ResNet (He et al. 2016) instead of the original (2015)
 * @param width base number of filters (64 in the papers); a DenseNet's initial features, its growth
 *     rate being half of it (torchvision's DenseNets: 64 and 32)
 * @param imageSize square input size in pixels
 * @param batchSize images per batch
 * @param epochs maximum number of epochs
 * @param optimizer Adam or SGD with momentum
 * @param learningRate initial learning rate
 * @param momentum SGD momentum (ignored by Adam)
 * @param schedule learning-rate schedule over epochs
 * @param augmentation training-time augmentation ({@link CxrAugmentation#none()} for none)
 * @param loss the loss function
 * @param positive the positive finding (canonical NIH name)
 * @param othersAsNegative keep images with only other findings as negatives
 * @param validationFraction fraction of patients held out for validation
 * @param seed seed of the split, the weights, shuffling and augmentation
 * @param checkpointDir where checkpoints are written; null to keep the best model in memory only
 * @param patience epochs without a better validation AUC before stopping; 0 never stops early
 * @param workers background image-decoding threads
 * @param dropout dropout rate before the head
 * @param l2 L2 weight decay
 * @param standardise standardise pixels with training-split mean and std after min-max
 * @param skipBad skip unreadable items instead of failing
 * @param labels explicit labels CSV (relative to the data directory or absolute), or null for the
 *     default
 * @param sampler how an epoch draws its images; null (a model saved before the option) reads as
 *     {@link Sampler#NATURAL}
 * @param selectOn which data chooses the kept epoch; null (a model saved before the option) reads
 *     as {@link Selection#VALIDATION}
 * @param emaDecay decay of an exponential moving average of the weights, updated after every batch,
 *     which validation scores and the kept model holds instead of the raw weights (default 0.97);
 *     0, what a model saved before the option reads as, trains without one
 * @param findings the findings of a multi-label task (two or more, canonical NIH names, in output
 *     order); empty for the one-finding task on {@link #positive()}, which is what a model saved
 *     before the option (no such field) reads as
 * @param architecture the network family of {@link #depth()}; null (a model saved before the
 *     option) reads as {@link Architecture#RESNET}
 * @param pretrained the weights fine-tuning starts from, or null to start from random weights
 */
public record PipelineConfig(
    int depth,
    boolean preActivation,
    int width,
    int imageSize,
    int batchSize,
    int epochs,
    Optimizer optimizer,
    double learningRate,
    double momentum,
    Schedule schedule,
    CxrAugmentation augmentation,
    LossSpec loss,
    String positive,
    boolean othersAsNegative,
    double validationFraction,
    long seed,
    Path checkpointDir,
    int patience,
    int workers,
    double dropout,
    double l2,
    boolean standardise,
    boolean skipBad,
    Path labels,
    Sampler sampler,
    Selection selectOn,
    Double emaDecay,
    List<String> findings,
    Architecture architecture,
    Pretrained pretrained) {

  /** The defaults, in one place. */
  public static final PipelineConfig DEFAULTS =
      new PipelineConfig(
          18,
          false,
          32, // width and size: bench/small-data-study.sh on the 182 NIH images (README)
          128,
          16,
          10,
          Optimizer.ADAM,
          Optimizer.ADAM.defaultLearningRate(),
          0.9,
          Schedule.CONSTANT,
          CxrAugmentation.medicalSafe(),
          LossSpec.CROSS_ENTROPY,
          CxrTask.EFFUSION.positive(),
          false,
          0.2,
          42,
          null,
          5,
          dev.cxr.core.data.CxrDataSetIterator.DEFAULT_WORKERS,
          0.0,
          0.0,
          false,
          false,
          null,
          Sampler.NATURAL,
          Selection.AUTO,
          0.97,
          List.of(),
          Architecture.RESNET,
          null);

  /**
   * The fields a resumed run may change: how long it runs and where and how fast it works, none of
   * which changes the weights an epoch produces. Every other field must equal the interrupted
   * run's.
   */
  public static final Set<String> MAY_CHANGE_ON_RESUME =
      Set.of("epochs", "patience", "checkpointDir", "workers");

  /** Checks every field; the messages name the parameter and the bad value. */
  public PipelineConfig {
    architecture = architecture == null ? Architecture.RESNET : architecture;
    architecture.checkDepth(depth);
    Limits.inRange("width", width, 1, Limits.MAX_WIDTH);
    Limits.inRange("imageSize", imageSize, Limits.MIN_IMAGE_SIZE, Limits.MAX_IMAGE_SIZE);
    Limits.inRange("batchSize", batchSize, 1, Limits.MAX_BATCH_SIZE);
    Limits.inRange("epochs", epochs, 1, Limits.MAX_EPOCHS);
    Objects.requireNonNull(optimizer, "optimizer");
    Limits.learningRate(learningRate);
    Limits.halfOpen("momentum", momentum, 0, 1);
    Objects.requireNonNull(schedule, "schedule");
    augmentation = Objects.requireNonNull(augmentation, "augmentation").withSeed(seed);
    Objects.requireNonNull(loss, "loss");
    positive = CxrTask.binary(Objects.requireNonNull(positive, "positive")).positive();
    Limits.validationFraction(validationFraction);
    Limits.nonNegative("patience", patience);
    Limits.inRange("workers", workers, 1, Limits.MAX_WORKERS);
    Limits.halfOpen("dropout", dropout, 0, 1);
    Limits.nonNegativeFinite("l2", l2);
    // boxed so that a model saved before the option (no such field) reads as trained: without one
    emaDecay = emaDecay == null ? 0.0 : Limits.halfOpen("emaDecay", emaDecay, 0, 1);
    // models saved before these options existed trained this way
    sampler = sampler == null ? Sampler.NATURAL : sampler;
    selectOn = selectOn == null ? Selection.VALIDATION : selectOn;
    findings = findings == null ? List.of() : List.copyOf(findings);
    if (findings.size() == 1) {
      throw new IllegalArgumentException(
          "findings lists the findings of a multi-label task (two or more) but was "
              + findings
              + "; one finding is the binary task: positive("
              + findings.get(0)
              + ")");
    }
    if (!findings.isEmpty()) {
      findings = CxrTask.multiLabel(findings).findings(); // canonical names, checked
      if (othersAsNegative) {
        throw new IllegalArgumentException(
            "othersAsNegative is for the one-finding task; a multi-label task keeps every image");
      }
      loss.requireMultiLabel(findings.size());
    } else {
      loss.requireBinary();
    }
    if (architecture == Architecture.DENSENET && width % 2 != 0) {
      throw new IllegalArgumentException(
          "a DenseNet's width (its initial features; growth rate width / 2) must be even but was "
              + width);
    }
    if (pretrained != null
        && pretrained.source() != Pretrained.Source.CXR
        && architecture == Architecture.RESNET
        && preActivation) {
      throw new IllegalArgumentException(
          "pretrained "
              + pretrained.source().id()
              + " weights are an original (not pre-activation) ResNet");
    }
  }

  /**
   * A builder starting from these values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder().from(this);
  }

  /**
   * A builder starting from {@link #DEFAULTS}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The task these settings train: the positive finding against No Finding (or all others), or one
   * sigmoid output per finding of {@link #findings()}.
   *
   * @return the task
   */
  public CxrTask task() {
    return findings.isEmpty()
        ? new CxrTask(List.of(positive), othersAsNegative, false)
        : CxrTask.multiLabel(findings);
  }

  /**
   * The first field, outside {@link #MAY_CHANGE_ON_RESUME}, in which {@code earlier} differs from
   * this configuration, compared as data.
   *
   * @param earlier the configuration of an interrupted run
   * @return e.g. {@code "seed = 42 but this run has 7"}, or empty when the runs are the same
   */
  public Optional<String> differenceFrom(PipelineConfig earlier) {
    // the seed first: the augmentation carries it too, and the seed is the setting a user changed
    if (seed != earlier.seed) {
      return Optional.of("seed = " + earlier.seed + " but this run has " + seed);
    }
    for (RecordComponent c : PipelineConfig.class.getRecordComponents()) {
      if (MAY_CHANGE_ON_RESUME.contains(c.getName())) {
        continue;
      }
      Object then = value(c, earlier);
      Object now = value(c, this);
      if (!Objects.equals(then, now)) {
        return Optional.of(c.getName() + " = " + then + " but this run has " + now);
      }
    }
    return Optional.empty();
  }

  private static Object value(RecordComponent c, PipelineConfig config) {
    try {
      return c.getAccessor().invoke(config);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + c.getName(), e);
    }
  }

  /**
   * The settings as ordered name/value pairs, for the banner printed when training starts (display
   * only: saved models store the record itself).
   *
   * @return the lines of the banner
   */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(
        "network",
        architecture == Architecture.RESNET
            ? "ResNet-"
                + depth
                + (preActivation ? " pre-activation" : " original")
                + ", width "
                + width
            : architecture.displayName(depth) + ", width " + width + " (growth " + width / 2 + ")");
    if (pretrained != null) {
      m.put("pretrained", pretrained.describe());
    }
    m.put("image size", imageSize + " px");
    m.put("batch size", Integer.toString(batchSize));
    m.put("epochs", Integer.toString(epochs));
    m.put("optimizer", optimizer == Optimizer.SGD ? "SGD, momentum " + momentum : "Adam");
    m.put("learning rate", learningRate + " (" + schedule.name().toLowerCase() + ")");
    m.put("loss", loss.describe());
    m.put("augmentation", augmentation.describe());
    if (findings.isEmpty()) {
      m.put(
          "positive finding",
          positive + (othersAsNegative ? " (other findings as negatives)" : ""));
    } else {
      m.put(
          "findings", findings.size() + " (multi-label, sigmoid): " + String.join(", ", findings));
    }
    m.put("validation", "fraction " + validationFraction + " of patients");
    m.put("sampler", sampler.name().toLowerCase(Locale.ROOT));
    m.put("epoch chosen on", selectOn.name().toLowerCase(Locale.ROOT));
    m.put("seed", Long.toString(seed));
    m.put("early stopping", patience == 0 ? "off" : "patience " + patience + " epochs");
    m.put("checkpoints", checkpointDir == null ? "in memory" : checkpointDir.toString());
    m.put("workers", Integer.toString(workers));
    if (dropout > 0) {
      m.put("dropout", Double.toString(dropout));
    }
    if (l2 > 0) {
      m.put("l2", Double.toString(l2));
    }
    if (emaDecay > 0) {
      m.put("weight averaging", "exponential moving average, decay " + emaDecay);
    }
    m.put("normalisation", standardise ? "min-max, then standardised" : "per-image min-max");
    return m;
  }

  /** The plain builder of a {@link PipelineConfig}; see {@link ConfigBuilder} for the setters. */
  public static final class Builder extends ConfigBuilder<Builder> {
    Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Builds the configuration; the builder is left unchanged.
     *
     * @return the configuration
     */
    public PipelineConfig build() {
      return config();
    }
  }
}
