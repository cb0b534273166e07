package dev.cxr.examples.cli;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.CxrPipeline;
import dev.cxr.core.config.Optimizer;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Schedule;
import dev.cxr.core.config.Selection;
import dev.cxr.core.data.Sampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every {@link CxrPipeline.Builder} option as a command-line flag. Only the flags given are passed
 * to the builder, so its defaults (shown in --help through {@link TrainHelp}) apply otherwise, and
 * two flags for one setting (e.g. two losses) fail as the builder's conflicting calls do.
 */
public final class TrainOptions {
  @Mixin CacheOption cache = new CacheOption();

  @Option(names = "--size", descriptionKey = "train.size")
  Integer size;

  @Option(names = "--epochs", descriptionKey = "train.epochs")
  Integer epochs;

  @Option(names = "--depth", descriptionKey = "train.depth")
  Integer depth;

  @Option(
      names = "--arch",
      paramLabel = "NAME",
      description =
          "Network: resnet18 ... resnet152, densenet121 ... densenet201 (instead of --depth); with"
              + " --pretrained, what the file must hold (txrv: a torchxrayvision file).")
  String arch;

  @Option(
      names = "--pretrained",
      paramLabel = "FILE",
      description =
          "Fine-tune from these weights: a torchvision ResNet/DenseNet or torchxrayvision file"
              + " (.pt/.pth/.safetensors) or a cxr model file. The network becomes the file's; a"
              + " new head for the findings starts from random weights.")
  java.nio.file.Path pretrained;

  @Option(
      names = "--freeze-epochs",
      paramLabel = "N",
      description = "With --pretrained: train only the new head for the first N epochs.")
  Integer freezeEpochs;

  @Option(
      names = "--backbone-lr-scale",
      paramLabel = "S",
      description = "With --pretrained: the backbone's learning rate as a fraction in (0, 1].")
  Double backboneLrScale;

  @Option(names = "--pre-activation", description = "Pre-activation ResNet (He et al. 2016).")
  boolean preActivation;

  @Option(names = "--width", descriptionKey = "train.width")
  Integer width;

  @Option(names = "--batch", descriptionKey = "train.batch")
  Integer batch;

  @Option(names = "--optimizer", descriptionKey = "train.optimizer")
  String optimizer;

  @Option(names = "--lr", descriptionKey = "train.lr")
  Double lr;

  @Option(names = "--momentum", descriptionKey = "train.momentum")
  Double momentum;

  @Option(names = "--schedule", descriptionKey = "train.schedule")
  String schedule;

  @Option(
      names = "--class-weights",
      split = ",",
      paramLabel = "W0,W1",
      description = "Class-weighted cross-entropy, e.g. 1,5 (No Finding, positive).")
  double[] classWeights;

  @Option(
      names = "--cost-matrix",
      split = ",",
      paramLabel = "W00,W01,W10,W11",
      description = "The article's cost-matrix cross-entropy, row by row, e.g. 1,5,5,1.")
  double[] costMatrix;

  @Option(
      names = "--focal",
      paramLabel = "GAMMA",
      description = "Focal loss with this gamma (e.g. 2).")
  Double focalGamma;

  @Option(
      names = "--focal-alpha",
      split = ",",
      paramLabel = "A0,A1",
      description = "Focal loss class weights.")
  double[] focalAlpha;

  @Option(names = "--augment", descriptionKey = "train.augment")
  String augment;

  @Option(names = "--val-fraction", descriptionKey = "train.val-fraction")
  Double valFraction;

  @Option(names = "--seed", descriptionKey = "train.seed")
  Long seed;

  @Option(names = "--patience", descriptionKey = "train.patience")
  Integer patience;

  @Option(names = "--workers", descriptionKey = "train.workers")
  Integer workers;

  @Option(names = "--dropout", descriptionKey = "train.dropout")
  Double dropout;

  @Option(names = "--l2", descriptionKey = "train.l2")
  Double l2;

  @Option(names = "--ema", paramLabel = "DECAY", descriptionKey = "train.ema")
  Double ema;

  @Option(names = "--sampler", paramLabel = "KIND", descriptionKey = "train.sampler")
  String sampler;

  @Option(names = "--select-on", paramLabel = "PART", descriptionKey = "train.select-on")
  String selectOn;

  @Option(
      names = "--standardise",
      description = "Standardise pixels with training-split mean/std after min-max.")
  boolean standardise;

  /**
   * Applies the given flags to a builder (flags not given keep the builder's defaults).
   *
   * @param b the builder
   * @param data data options (positive finding, labels file, lenient mode)
   * @return the builder
   */
  CxrPipeline.Builder apply(CxrPipeline.Builder b, DataOptions data) {
    if (size != null) b.imageSize(size);
    if (epochs != null) b.epochs(epochs);
    ArchOption a = arch == null ? null : ArchOption.parse("--arch", arch);
    if (pretrained != null) {
      b.pretrained(pretrained, a == null ? null : a.source());
      if (a != null) {
        PipelineConfig c = b.build().config();
        a.check("--arch", c.architecture(), c.depth(), c.describe().get("network"));
      }
    } else if (a != null && a.source() != null) {
      throw new IllegalArgumentException("--arch txrv names a weight file: give --pretrained");
    } else if (a != null) {
      switch (a.architecture()) {
        case RESNET -> b.resnet(a.depth());
        case DENSENET -> b.densenet(a.depth());
      }
    }
    if (freezeEpochs != null) b.freezeEpochs(freezeEpochs);
    if (backboneLrScale != null) b.backboneLrScale(backboneLrScale);
    if (depth != null) b.resnet(depth);
    if (preActivation) b.preActivation(true);
    if (width != null) b.width(width);
    if (batch != null) b.batchSize(batch);
    if (optimizer != null || lr != null || momentum != null) {
      Optimizer opt = parse("--optimizer", optimizer == null ? "adam" : optimizer, Optimizer.class);
      double rate = lr != null ? lr : opt.defaultLearningRate();
      switch (opt) {
        case ADAM -> b.adam(rate);
        case SGD -> b.sgd(rate, momentum != null ? momentum : PipelineConfig.DEFAULTS.momentum());
      }
    }
    if (schedule != null) {
      b.schedule(parse("--schedule", schedule, Schedule.class));
    }
    if (classWeights != null) b.classWeights(classWeights);
    if (costMatrix != null) b.costMatrix(costMatrix);
    if (focalGamma != null) b.focal(focalGamma, focalAlpha == null ? new double[0] : focalAlpha);
    if (augment != null) b.augmentation(preset("--augment", augment));
    if (valFraction != null) b.validationFraction(valFraction);
    if (seed != null) b.seed(seed);
    if (patience != null) b.patience(patience);
    if (workers != null) b.workers(workers);
    if (dropout != null) b.dropout(dropout);
    if (l2 != null) b.l2(l2);
    if (ema != null) b.ema(ema);
    if (standardise) b.standardise(true);
    if (sampler != null) b.sampler(parse("--sampler", sampler, Sampler.class));
    if (selectOn != null) b.selectOn(parse("--select-on", selectOn, Selection.class));
    if (cache.dir != null) b.cache(cache.dir);
    if (data != null) {
      data.applyTask(b);
      b.skipBad(data.skipBad);
      if (data.labels != null) b.labels(data.labels);
    }
    return b;
  }

  /**
   * An augmentation preset by name, the one list of names being {@link
   * CxrAugmentation#presetNames()}.
   *
   * @param option the option, named in the error
   * @param name the preset's name
   * @return the preset
   */
  static CxrAugmentation preset(String option, String name) {
    try {
      return CxrAugmentation.preset(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  /** An enum constant by its lower-case name; the error names the option and the choices. */
  private static <E extends Enum<E>> E parse(String option, String value, Class<E> type) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException(
        option + " must be one of " + names + " but was '" + value + "'");
  }
}
