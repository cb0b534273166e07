package dev.cxr.examples.cli;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.CxrPipeline;
import dev.cxr.core.PipelineConfig;
import picocli.CommandLine.Option;

/** Every {@link CxrPipeline.Builder} option as a command-line flag (defaults shown in --help). */
public final class TrainOptions {
  @Option(names = "--size", description = "Image size in pixels (default: 256).")
  Integer size;

  @Option(names = "--epochs", description = "Maximum epochs (default: 10).")
  Integer epochs;

  @Option(names = "--depth", description = "ResNet depth: 18, 34, 50, 101, 152 (default: 18).")
  Integer depth;

  @Option(names = "--pre-activation", description = "Pre-activation ResNet (He et al. 2016).")
  boolean preActivation;

  @Option(names = "--width", description = "Base filters (default: 64).")
  Integer width;

  @Option(names = "--batch", description = "Batch size (default: 16).")
  Integer batch;

  @Option(names = "--optimizer", description = "adam or sgd (default: adam).")
  String optimizer;

  @Option(names = "--lr", description = "Learning rate (default: 0.001).")
  Double lr;

  @Option(names = "--momentum", description = "SGD momentum (default: 0.9).")
  Double momentum;

  @Option(names = "--schedule", description = "constant, step (halve every epoch) or cosine (default: constant).")
  String schedule;

  @Option(names = "--class-weights", split = ",", paramLabel = "W0,W1",
      description = "Class-weighted cross-entropy, e.g. 1,5 (No Finding, positive).")
  double[] classWeights;

  @Option(names = "--cost-matrix", split = ",", paramLabel = "W00,W01,W10,W11",
      description = "The article's cost-matrix cross-entropy, row by row, e.g. 1,5,5,1.")
  double[] costMatrix;

  @Option(names = "--focal", paramLabel = "GAMMA", description = "Focal loss with this gamma (e.g. 2).")
  Double focalGamma;

  @Option(names = "--focal-alpha", split = ",", paramLabel = "A0,A1", description = "Focal loss class weights.")
  double[] focalAlpha;

  @Option(names = "--augment", description = "medical-safe, seed-article or none (default: medical-safe).")
  String augment;

  @Option(names = "--val-fraction", description = "Validation fraction of patients (default: 0.2).")
  Double valFraction;

  @Option(names = "--seed", description = "Seed (default: 42).")
  Long seed;

  @Option(names = "--patience", description = "Early-stopping patience in epochs, 0 = off (default: 5).")
  Integer patience;

  @Option(names = "--workers", description = "Image decoding threads (default: cores, at most 4).")
  Integer workers;

  @Option(names = "--dropout", description = "Dropout before the head (default: 0).")
  Double dropout;

  @Option(names = "--l2", description = "L2 weight decay (default: 0).")
  Double l2;

  @Option(names = "--standardise", description = "Standardise pixels with training-split mean/std after min-max.")
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
    if (depth != null) b.resnet(depth);
    b.preActivation(preActivation);
    if (width != null) b.width(width);
    if (batch != null) b.batchSize(batch);
    String opt = optimizer == null ? "adam" : optimizer.toLowerCase(java.util.Locale.ROOT);
    switch (opt) {
      case "adam" -> b.adam(lr != null ? lr : PipelineConfig.DEFAULTS.learningRate());
      case "sgd" -> b.sgd(lr != null ? lr : 0.01, momentum != null ? momentum : 0.9);
      default -> throw new IllegalArgumentException("--optimizer must be adam or sgd but was '" + optimizer + "'");
    }
    if (schedule != null) {
      try {
        b.schedule(PipelineConfig.Schedule.valueOf(schedule.toUpperCase(java.util.Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--schedule must be constant, step or cosine but was '" + schedule + "'");
      }
    }
    int losses = (classWeights != null ? 1 : 0) + (costMatrix != null ? 1 : 0) + (focalGamma != null ? 1 : 0);
    if (losses > 1) {
      throw new IllegalArgumentException("give only one of --class-weights, --cost-matrix, --focal");
    }
    if (classWeights != null) b.classWeights(classWeights);
    if (costMatrix != null) b.costMatrix(costMatrix);
    if (focalGamma != null) b.focal(focalGamma, focalAlpha == null ? new double[0] : focalAlpha);
    if (augment != null) b.augmentation(augmentation(augment));
    if (valFraction != null) b.validationFraction(valFraction);
    if (seed != null) b.seed(seed);
    if (patience != null) b.patience(patience);
    if (workers != null) b.workers(workers);
    if (dropout != null) b.dropout(dropout);
    if (l2 != null) b.l2(l2);
    b.standardise(standardise);
    if (data != null) {
      b.positive(data.positive).othersAsNegative(data.othersAsNegative).skipBad(data.skipBad);
      if (data.labels != null) b.labels(data.labels);
    }
    return b;
  }

  /**
   * @param preset preset name
   * @return the augmentation
   */
  static CxrAugmentation augmentation(String preset) {
    return switch (preset.toLowerCase(java.util.Locale.ROOT)) {
      case "medical-safe" -> CxrAugmentation.medicalSafe();
      case "seed-article" -> CxrAugmentation.seedArticle();
      case "none" -> CxrAugmentation.none();
      default -> throw new IllegalArgumentException(
          "--augment must be medical-safe, seed-article or none but was '" + preset + "'");
    };
  }
}
