package dev.cxr.core.evaluation;

import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.PixelCaches;
import dev.cxr.core.data.PreDecoder;
import dev.cxr.core.data.Sample;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.Progress;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.ConfusionMatrix;
import dev.cxr.core.provenance.FindingSummary;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.provenance.TrainingSplit;
import dev.cxr.core.provenance.ValidationSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;

/** Scores a saved model against the labels of data directories, and calibrates it. */
public final class Evaluator {
  private Evaluator() {}

  /**
   * Scores every usable image of the request's directories, or only the validation part of the
   * model's own training run (see {@link TrainingSplit}; a cross-validation fold model's held-out
   * fold), each finding at its operating threshold (0.5 where the model has none).
   *
   * @param network the model's network
   * @param info the model's metadata
   * @param request what to score and how
   * @return one evaluation per finding of the model's task
   * @throws CxrDataException when no finding has both classes, the data is not the training data
   *     and only the validation part was asked for, or (strict) naming the first bad item
   */
  public static Evaluation evaluate(
      ComputationGraph network, ModelInfo info, EvaluationRequest request) {
    CxrTask task = info.task();
    boolean skipBad = request.skipped() != null;
    CxrDataset ds =
        CxrDataset.scan(
            request.data(),
            request.labels() != null ? request.labels() : info.config().labels(),
            skipBad,
            skipBad ? request.skipped() : new DataReport());
    List<Sample> all = task.labelBothClasses(ds).samples();
    List<Sample> samples =
        request.validationSplitOnly() ? TrainingSplit.validation(info, ds, all) : all;
    int workers = request.workers();
    try (PixelCache cache =
        PixelCaches.open(
            request.cacheDir(),
            ds.commonRoot(),
            all,
            info.imageSize(),
            workers,
            request.progress())) {
      int n = samples.size();
      samples =
          PreDecoder.readable(samples, cache, info.imageSize(), workers, skipBad, ds.report());
      if (samples.isEmpty()) {
        throw new CxrDataException(
            request.data().get(0), "none of the " + n + " images to evaluate is readable");
      }
      Scorer scorer = Scorer.forModel(network, info).withTta(request.tta());
      Scores scores;
      try (Progress p = request.progress().start("evaluate", samples.size() * scorer.passes())) {
        scores = scorer.score(samples, cache, workers, null, p);
      }
      return evaluation(task, scores, info.validation());
    }
  }

  /**
   * Each finding of scored images at its model's operating threshold (0.5 where none was chosen).
   *
   * @param task the model's task
   * @param scores the images' scores
   * @param validation the model's validation summary (its thresholds)
   * @return the evaluation
   */
  public static Evaluation evaluation(CxrTask task, Scores scores, ValidationSummary validation) {
    List<String> names = task.labelNames();
    double[] thresholds = validation.thresholds(task.findings().size());
    List<FindingEvaluation> out = new ArrayList<>();
    for (int f = 0; f < task.findings().size(); f++) {
      Scores one = scores.finding(f);
      double threshold = Double.isNaN(thresholds[f]) ? 0.5 : thresholds[f];
      BinaryMetrics m = one.hasBothClasses(0) ? one.metrics() : null;
      String finding = task.findings().get(f);
      String negative = task.multiLabel() ? "No " + finding : names.get(1 - task.positiveColumn());
      out.add(
          new FindingEvaluation(
              finding,
              one,
              m,
              threshold,
              confusion(one, threshold),
              task.multiLabel() ? finding : names.get(task.positiveColumn()),
              negative));
    }
    return new Evaluation(scores, out);
  }

  /** The confusion matrix of one finding's scores at a threshold, with or without both classes. */
  private static ConfusionMatrix confusion(Scores one, double threshold) {
    double[] s = one.scoresOf(0);
    boolean[] y = one.labelsOf(0);
    int tp = 0;
    int fp = 0;
    int tn = 0;
    int fn = 0;
    for (int i = 0; i < s.length; i++) {
      boolean predicted = s[i] >= threshold;
      if (y[i]) {
        tp += predicted ? 1 : 0;
        fn += predicted ? 0 : 1;
      } else {
        fp += predicted ? 1 : 0;
        tn += predicted ? 0 : 1;
      }
    }
    return new ConfusionMatrix(threshold, tp, fp, tn, fn);
  }

  /**
   * Whether data directories are the ones the model was trained on: the split of its training run
   * rebuilt there ({@link TrainingSplit}) has the fingerprint the model recorded.
   *
   * @param info the model's metadata
   * @param dirs the data directories
   * @param labels labels CSV, or null for the one the model was trained with
   * @return true for the training data
   */
  public static boolean isTrainingData(ModelInfo info, List<Path> dirs, Path labels) {
    CxrDataset ds =
        CxrDataset.scan(dirs, labels != null ? labels : info.config().labels(), false, null);
    List<Sample> samples = info.task().labelBothClasses(ds).samples();
    return TrainingSplit.isTrainingData(info, ds, samples);
  }

  /**
   * Fits a temperature per finding ({@link TemperatureScaling}) on the validation part of the
   * model's own training run (its held-out fold for a fold model) and returns the metadata that
   * carries them. Each operating threshold moves with its probabilities (the scaling is monotone,
   * so every image keeps its side of the threshold and sensitivity, specificity and AUC do not
   * change). Calibrating a calibrated model fits again from the network's own probabilities.
   *
   * @param network the model's network
   * @param info the model's metadata
   * @param request the training data (checked by its fingerprint), labels and workers
   * @return the metadata with the fitted temperatures and the moved thresholds
   * @throws CxrDataException when the data is not the training data
   */
  public static ModelInfo calibrate(
      ComputationGraph network, ModelInfo info, EvaluationRequest request) {
    CxrDataset ds =
        CxrDataset.scan(
            request.data(),
            request.labels() != null ? request.labels() : info.config().labels(),
            false,
            null);
    List<Sample> samples =
        TrainingSplit.validation(info, ds, info.task().labelBothClasses(ds).samples());
    Scores raw;
    try (PixelCache cache = PixelCache.create()) {
      raw =
          Scorer.forModel(network, info)
              .uncalibrated()
              .score(samples, cache, request.workers(), null);
    }
    ValidationSummary v = info.validation();
    List<String> findings = info.task().findings();
    List<FindingSummary> before = v.perFinding(findings);
    List<FindingSummary> after = new ArrayList<>();
    for (int f = 0; f < findings.size(); f++) {
      FindingSummary s = before.get(f);
      double t =
          raw.hasBothClasses(f)
              ? TemperatureScaling.fit(raw.scoresOf(f), raw.labelsOf(f))
              : ValidationSummary.UNCALIBRATED;
      double rawThreshold = TemperatureScaling.apply(s.threshold(), 1 / s.temperature());
      double threshold =
          Double.isNaN(s.threshold()) ? s.threshold() : TemperatureScaling.apply(rawThreshold, t);
      after.add(s.withCalibration(threshold, t));
    }
    if (!info.task().multiLabel()) {
      FindingSummary s = after.get(0);
      return info.withValidation(
          new ValidationSummary(
              v.auc(),
              v.aucLow(),
              v.aucHigh(),
              s.threshold(),
              v.sensitivity(),
              v.specificity(),
              s.temperature()));
    }
    return info.withValidation(ValidationSummary.multiLabel(v.auc(), after));
  }
}
