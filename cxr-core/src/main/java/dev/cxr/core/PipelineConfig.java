package dev.cxr.core;

import dev.cxr.augment.CxrAugmentation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a {@link CxrPipeline} trains with. Immutable; made by {@link CxrPipeline.Builder},
 * whose defaults are the values of {@link #DEFAULTS}, printed when training starts.
 *
 * @param depth ResNet depth (18, 34, 50, 101, 152)
 * @param preActivation pre-activation ResNet (He et al. 2016) instead of the original (2015)
 * @param width base number of filters (64 in the papers)
 * @param imageSize square input size in pixels
 * @param batchSize images per batch
 * @param epochs maximum number of epochs
 * @param optimizer Adam or SGD with momentum
 * @param learningRate initial learning rate
 * @param momentum SGD momentum (ignored by Adam)
 * @param schedule learning-rate schedule over epochs
 * @param augmentation training-time augmentation ({@link CxrAugmentation#none()} for none)
 * @param loss the loss function
 * @param positive the positive finding
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
 * @param labels explicit labels CSV, or null for the default
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
    Path labels) {

  /** The defaults, in one place. */
  public static final PipelineConfig DEFAULTS =
      new PipelineConfig(
          18,
          false,
          64,
          256,
          16,
          10,
          Optimizer.ADAM,
          1e-3,
          0.9,
          Schedule.CONSTANT,
          CxrAugmentation.medicalSafe(),
          LossSpec.CROSS_ENTROPY,
          "Effusion",
          false,
          0.2,
          42,
          null,
          5,
          Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
          0.0,
          0.0,
          false,
          false,
          null);

  /** Optimisers. */
  public enum Optimizer {
    /** Adam (Kingma and Ba 2015). */
    ADAM,
    /** Stochastic gradient descent with (Nesterov) momentum. */
    SGD
  }

  /** Learning-rate schedules over epochs. */
  public enum Schedule {
    /** The same rate every epoch. */
    CONSTANT,
    /** Halved every epoch, as in the article's notebook. */
    STEP,
    /** Cosine annealing from the initial rate towards zero over the epochs. */
    COSINE;

    /**
     * @param base initial learning rate
     * @param epoch 0-based epoch
     * @param epochs total epochs
     * @return the learning rate of that epoch
     */
    public double rate(double base, int epoch, int epochs) {
      return switch (this) {
        case CONSTANT -> base;
        case STEP -> base * Math.pow(0.5, epoch);
        case COSINE -> base * 0.5 * (1 + Math.cos(Math.PI * epoch / Math.max(1, epochs)));
      };
    }
  }

  /** @return the settings as ordered name/value pairs, for printing and for the saved model */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("network", "ResNet-" + depth + (preActivation ? " pre-activation" : " original")
        + ", width " + width);
    m.put("image size", imageSize + " px");
    m.put("batch size", Integer.toString(batchSize));
    m.put("epochs", Integer.toString(epochs));
    m.put("optimizer", optimizer == Optimizer.SGD
        ? "SGD, momentum " + momentum : "Adam");
    m.put("learning rate", learningRate + " (" + schedule.name().toLowerCase() + ")");
    m.put("loss", loss.describe());
    m.put("augmentation", augmentation.describe());
    m.put("positive finding", positive + (othersAsNegative ? " (other findings as negatives)" : ""));
    m.put("validation", "fraction " + validationFraction + " of patients");
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
    m.put("normalisation", standardise ? "min-max, then standardised" : "per-image min-max");
    return m;
  }
}
