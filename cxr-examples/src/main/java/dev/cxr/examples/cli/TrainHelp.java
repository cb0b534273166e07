package dev.cxr.examples.cli;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.config.Limits;
import dev.cxr.core.config.Optimizer;
import dev.cxr.core.config.PipelineConfig;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Locale;

/**
 * The help text of the training options ({@link TrainOptions}), written from {@link
 * PipelineConfig#DEFAULTS} and {@link Limits} so that {@code --help} always shows the library's
 * real defaults and limits; picocli reads it as the command line's resource bundle (keys are the
 * options' {@code descriptionKey}s).
 */
public final class TrainHelp extends ListResourceBundle {
  private static final PipelineConfig D = PipelineConfig.DEFAULTS;

  @Override
  protected Object[][] getContents() {
    return new Object[][] {
      {
        "train.size",
        String.format(
            Locale.ROOT,
            "Image size in pixels, %d..%d (default: %d).",
            Limits.MIN_IMAGE_SIZE,
            Limits.MAX_IMAGE_SIZE,
            D.imageSize())
      },
      {"train.epochs", "Maximum epochs (default: " + D.epochs() + ")."},
      {"train.depth", "ResNet depth: " + join(Limits.DEPTHS) + " (default: " + D.depth() + ")."},
      {"train.width", "Base filters, 1.." + Limits.MAX_WIDTH + " (default: " + D.width() + ")."},
      {"train.batch", "Batch size (default: " + D.batchSize() + ")."},
      {"train.optimizer", "adam or sgd (default: " + lower(D.optimizer()) + ")."},
      {
        "train.lr",
        "Learning rate (default: "
            + Optimizer.ADAM.defaultLearningRate()
            + " for adam, "
            + Optimizer.SGD.defaultLearningRate()
            + " for sgd)."
      },
      {"train.momentum", "SGD momentum (default: " + D.momentum() + ")."},
      {
        "train.schedule",
        "constant, step (halve every epoch) or cosine (default: " + lower(D.schedule()) + ")."
      },
      {
        "train.augment",
        join(CxrAugmentation.presetNames()) + " (default: " + defaultPreset() + ")."
      },
      {
        "train.val-fraction",
        "Validation fraction of patients (default: " + D.validationFraction() + ")."
      },
      {
        "train.seed",
        "Seed of split, weights, shuffling and augmentation (default: " + D.seed() + ")."
      },
      {
        "train.patience",
        "Early-stopping patience in epochs, 0 = off (default: " + D.patience() + ")."
      },
      {
        "train.workers",
        "Image decoding threads, 1.."
            + Limits.MAX_WORKERS
            + " (default: cores, at most 4; here "
            + D.workers()
            + ")."
      },
      {"train.dropout", "Dropout before the head (default: " + D.dropout() + ")."},
      {"data.positive", "Positive finding (default: " + D.positive() + ")."},
      {"train.l2", "L2 weight decay (default: " + D.l2() + ")."},
      {
        "train.ema",
        "Keep an exponential moving average of the weights with this decay (e.g. 0.9): validation"
            + " scores it and the kept model is the average; 0 = off (default: "
            + D.emaDecay()
            + ")."
      },
      {
        "train.sampler",
        "How an epoch draws images: natural (each once) or balanced (half of each class per"
            + " batch, the minority oversampled) (default: "
            + lower(D.sampler())
            + ")."
      },
      {
        "train.select-on",
        "Which data chooses the kept epoch: inner (an inner split of the training patients, so"
            + " the reported AUC took no part in the choice), validation, or auto (inner in"
            + " crossval, validation in train) (default: "
            + lower(D.selectOn())
            + ")."
      },
    };
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static String join(List<?> values) {
    return String.join(", ", values.stream().map(String::valueOf).toList());
  }

  /** The preset name of the default augmentation (its seed aside). */
  static String defaultPreset() {
    return CxrAugmentation.presetNames().stream()
        .filter(n -> CxrAugmentation.preset(n).withSeed(D.seed()).equals(D.augmentation()))
        .findFirst()
        .orElse("custom");
  }
}
