package dev.cxr.core.evaluation;

import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.PixelCaches;
import dev.cxr.core.data.PreDecoder;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.PixelCache;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.Progress;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.provenance.DataFingerprint;
import dev.cxr.core.provenance.Fold;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.provenance.ValidationSummary;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Scores a saved model against the labels of a data directory. */
public final class Evaluator {
  private Evaluator() {}

  /**
   * Scores every usable image of a data directory, or only the validation split of the model's own
   * training run (rebuilt from the seed and fraction its configuration records).
   *
   * @param network the model's network
   * @param info the model's metadata
   * @param dir a data directory
   * @param validationSplitOnly score only the validation split of the model's training run
   * @param workers decoding threads
   * @return the evaluation, at the model's operating threshold (0.5 when it has none)
   */
  public static Evaluation evaluate(
      ComputationGraph network,
      ModelInfo info,
      Path dir,
      boolean validationSplitOnly,
      int workers) {
    return evaluate(network, info, dir, null, validationSplitOnly, workers);
  }

  /**
   * Scores a data directory with an explicit labels file.
   *
   * @param network the model's network
   * @param info the model's metadata
   * @param dir a data directory
   * @param labels labels CSV (relative to {@code dir} or absolute), or null for the one the model
   *     was trained with
   * @param validationSplitOnly score only the validation split of the model's training run; the
   *     data must be the training data (same fingerprint), else the rebuilt split would name other
   *     images
   * @param workers decoding threads
   * @return the evaluation
   * @throws CxrDataException when a class is missing, or the data is not the training data and only
   *     the validation split was asked for
   */
  public static Evaluation evaluate(
      ComputationGraph network,
      ModelInfo info,
      Path dir,
      Path labels,
      boolean validationSplitOnly,
      int workers) {
    return evaluate(
        network,
        info,
        dir,
        labels,
        validationSplitOnly,
        workers,
        null,
        null,
        Progress.Factory.none());
  }

  /**
   * Scores a data directory, optionally skipping bad items, reading pixels through a persistent
   * cache and reporting progress.
   *
   * @param network the model's network
   * @param info the model's metadata
   * @param dir a data directory
   * @param labels labels CSV, or null for the one the model was trained with
   * @param validationSplitOnly score only the validation split of the model's training run
   * @param workers decoding threads
   * @param skipped null to stop at the first bad item (before any scoring); else bad rows and
   *     unreadable images are left out and recorded here
   * @param cacheDir directory of the persistent pixel cache (opened over every labelled image of
   *     {@code dir}, as training does, so the validation split of the training data hits the
   *     training run's file), or null for an in-memory cache
   * @param progress reports the cache build and the scoring
   * @return the evaluation
   * @throws CxrDataException as {@link #evaluate(ComputationGraph, ModelInfo, Path, Path, boolean,
   *     int)}, or naming the first bad item when {@code skipped} is null
   */
  public static Evaluation evaluate(
      ComputationGraph network,
      ModelInfo info,
      Path dir,
      Path labels,
      boolean validationSplitOnly,
      int workers,
      DataReport skipped,
      Path cacheDir,
      Progress.Factory progress) {
    return evaluate(
        network,
        info,
        dir,
        labels,
        validationSplitOnly,
        workers,
        skipped,
        cacheDir,
        progress,
        TestTimeAugmentation.NONE);
  }

  /**
   * As {@link #evaluate(ComputationGraph, ModelInfo, Path, Path, boolean, int, DataReport, Path,
   * Progress.Factory)}, each image scored as the mean over test-time variants.
   *
   * @param network the model's network
   * @param info the model's metadata
   * @param dir a data directory
   * @param labels labels CSV, or null for the one the model was trained with
   * @param validationSplitOnly score only the validation split of the model's training run
   * @param workers decoding threads
   * @param skipped null to fail on the first bad item; else where skipped items are recorded
   * @param cacheDir persistent pixel cache directory, or null for an in-memory one
   * @param progress progress reports
   * @param tta test-time augmentation ({@link TestTimeAugmentation#NONE} for none)
   * @return the evaluation
   */
  public static Evaluation evaluate(
      ComputationGraph network,
      ModelInfo info,
      Path dir,
      Path labels,
      boolean validationSplitOnly,
      int workers,
      DataReport skipped,
      Path cacheDir,
      Progress.Factory progress,
      TestTimeAugmentation tta) {
    CxrTask task = info.task();
    boolean skipBad = skipped != null;
    CxrDataset ds =
        CxrDataset.scan(
            dir,
            labels != null ? labels : info.config().labels(),
            skipBad,
            skipBad ? skipped : new DataReport());
    List<Sample> all = task.labelBothClasses(ds).samples();
    List<Sample> samples = all;
    if (validationSplitOnly) {
      // a cross-validation fold's model validates on its fold, as CrossValidator drew it
      Fold fold = info.fold();
      PatientSplit split =
          fold == null
              ? PatientSplit.trainValidation(
                  samples, info.config().validationFraction(), info.config().seed())
              : PatientSplit.kFold(samples, fold.count(), fold.seed()).get(fold.index() - 1);
      if (!DataFingerprint.of(ds.root(), split).equals(info.dataFingerprint())) {
        throw new CxrDataException(
            dir,
            "not the data this model was trained on (its fingerprint differs), so the validation"
                + " split of its training run cannot be rebuilt here; use --split all");
      }
      samples = split.validation();
    }
    try (PixelCache cache =
        PixelCaches.open(cacheDir, ds.root(), all, info.imageSize(), workers, progress)) {
      int n = samples.size();
      samples =
          PreDecoder.readable(samples, cache, info.imageSize(), workers, skipBad, ds.report());
      if (samples.isEmpty()) {
        throw new CxrDataException(dir, "none of the " + n + " images to evaluate is readable");
      }
      Scores scores;
      Scorer scorer =
          new Scorer(
                  network,
                  info.imageSize(),
                  info.normalisation(),
                  task,
                  info.validation().temperature())
              .withTta(tta);
      try (Progress p = progress.start("evaluate", samples.size() * scorer.passes())) {
        scores = scorer.score(samples, cache, workers, null, p);
      }
      BinaryMetrics metrics = scores.metrics();
      double threshold = Double.isNaN(info.threshold()) ? 0.5 : info.threshold();
      List<String> names = task.labelNames();
      int pos = task.positiveColumn();
      return new Evaluation(
          scores,
          metrics,
          threshold,
          metrics.confusionAt(threshold),
          names.get(pos),
          names.get(1 - pos));
    }
  }

  /**
   * Whether a data directory is the one the model was trained on: its patient split, rebuilt from
   * the model's seed and fraction, has the fingerprint the model recorded.
   *
   * @param info the model's metadata
   * @param dir a data directory
   * @param labels labels CSV, or null for the one the model was trained with
   * @return true for the training data
   */
  public static boolean isTrainingData(ModelInfo info, Path dir, Path labels) {
    CxrDataset ds = CxrDataset.scan(dir, labels != null ? labels : info.config().labels(), false);
    List<Sample> samples = info.task().labelBothClasses(ds).samples();
    PatientSplit split =
        PatientSplit.trainValidation(
            samples, info.config().validationFraction(), info.config().seed());
    return DataFingerprint.of(ds.root(), split).equals(info.dataFingerprint());
  }

  /** The labelled images of a directory, or the validation split of the model's training run. */
  private static List<Sample> samples(
      ModelInfo info, Path dir, Path labels, boolean validationSplitOnly) {
    CxrDataset ds = CxrDataset.scan(dir, labels != null ? labels : info.config().labels(), false);
    List<Sample> samples = info.task().labelBothClasses(ds).samples();
    if (!validationSplitOnly) {
      return samples;
    }
    PatientSplit split =
        PatientSplit.trainValidation(
            samples, info.config().validationFraction(), info.config().seed());
    if (!DataFingerprint.of(ds.root(), split).equals(info.dataFingerprint())) {
      throw new CxrDataException(
          dir,
          "not the data this model was trained on (its fingerprint differs), so the validation"
              + " split of its training run cannot be rebuilt here; use --split all");
    }
    return split.validation();
  }

  /**
   * Fits a temperature ({@link TemperatureScaling}) on the validation split of the model's own
   * training run and returns the metadata that carries it. The operating threshold moves with the
   * probabilities (the scaling is monotone, so every image keeps its side of the threshold and
   * sensitivity, specificity and AUC do not change). Calibrating a calibrated model fits again from
   * the network's own probabilities.
   *
   * @param network the model's network
   * @param info the model's metadata
   * @param dir the training data (checked by its fingerprint)
   * @param labels labels CSV, or null for the one the model was trained with
   * @param workers decoding threads
   * @return the metadata with the fitted temperature and the moved threshold
   * @throws CxrDataException when the data is not the training data
   */
  public static ModelInfo calibrate(
      ComputationGraph network, ModelInfo info, Path dir, Path labels, int workers) {
    List<Sample> samples = samples(info, dir, labels, true);
    Scores raw;
    try (PixelCache cache = PixelCache.create()) {
      raw =
          new Scorer(network, info.imageSize(), info.normalisation(), info.task())
              .score(samples, cache, workers, null);
    }
    double t = TemperatureScaling.fit(raw.scores(), raw.positive());
    ValidationSummary v = info.validation();
    double rawThreshold = TemperatureScaling.apply(v.threshold(), 1 / v.temperature());
    double threshold =
        Double.isNaN(v.threshold()) ? v.threshold() : TemperatureScaling.apply(rawThreshold, t);
    return info.withValidation(
        new ValidationSummary(
            v.auc(), v.aucLow(), v.aucHigh(), threshold, v.sensitivity(), v.specificity(), t));
  }
}
