package dev.cxr.core.evaluation;

import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.PixelCaches;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.PixelCache;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.Progress;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.provenance.DataFingerprint;
import dev.cxr.core.provenance.ModelInfo;
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
        network, info, dir, labels, validationSplitOnly, workers, null, Progress.Factory.none());
  }

  /**
   * Scores a data directory with an explicit labels file, reading pixels through a persistent cache
   * and reporting progress.
   *
   * @param network the model's network
   * @param info the model's metadata
   * @param dir a data directory
   * @param labels labels CSV, or null for the one the model was trained with
   * @param validationSplitOnly score only the validation split of the model's training run
   * @param workers decoding threads
   * @param cacheDir directory of the persistent pixel cache (opened over every labelled image of
   *     {@code dir}, as training does, so the validation split of the training data hits the
   *     training run's file), or null for an in-memory cache
   * @param progress reports the cache build and the scoring
   * @return the evaluation
   */
  public static Evaluation evaluate(
      ComputationGraph network,
      ModelInfo info,
      Path dir,
      Path labels,
      boolean validationSplitOnly,
      int workers,
      Path cacheDir,
      Progress.Factory progress) {
    CxrTask task = info.task();
    CxrDataset ds = CxrDataset.scan(dir, labels != null ? labels : info.config().labels(), false);
    List<Sample> all = task.labelBothClasses(ds).samples();
    List<Sample> samples = all;
    if (validationSplitOnly) {
      PatientSplit split =
          PatientSplit.trainValidation(
              samples, info.config().validationFraction(), info.config().seed());
      if (!DataFingerprint.of(ds.root(), split).equals(info.dataFingerprint())) {
        throw new CxrDataException(
            dir,
            "not the data this model was trained on (its fingerprint differs), so the validation"
                + " split of its training run cannot be rebuilt here; use --split all");
      }
      samples = split.validation();
    }
    try (PixelCache cache =
            PixelCaches.open(cacheDir, ds.root(), all, info.imageSize(), workers, progress);
        Progress p = progress.start("evaluate", samples.size())) {
      Scores scores =
          new Scorer(network, info.imageSize(), info.normalisation(), task)
              .score(samples, cache, workers, null, p);
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
}
