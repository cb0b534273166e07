package dev.cxr.core.training;

import dev.cxr.augment.SplitMix64;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Selection;
import dev.cxr.core.data.CxrDataSetIterator;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.PixelCaches;
import dev.cxr.core.data.Sample;
import dev.cxr.core.evaluation.OperatingPoint;
import dev.cxr.core.evaluation.Scorer;
import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.image.PixelCache;
import dev.cxr.core.io.RunLock;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.ConfusionMatrix;
import dev.cxr.core.provenance.DataFingerprint;
import dev.cxr.core.provenance.EpochResult;
import dev.cxr.core.provenance.Fold;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.provenance.TrainingImages;
import dev.cxr.core.provenance.ValidationSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * One training run on one split: the epoch loop, validation after every epoch (exact AUC with a
 * DeLong CI), the best-AUC weights kept (best on validation, or on an inner split of the training
 * patients: {@link Selection}), checkpoints, resume, early stopping, and the final metadata with
 * the operating threshold chosen on the same data as the epoch.
 */
public final class TrainingRun {
  private final PipelineConfig config;
  private final TrainingListener listener;
  private final Path cacheDir;
  private long startNanos;
  private boolean firstBatchReported;
  private WeightAverage average; // the run's weight average, or null without one

  /**
   * @param config the settings
   * @param listener receives progress
   */
  public TrainingRun(PipelineConfig config, TrainingListener listener) {
    this(config, listener, null);
  }

  /**
   * @param config the settings
   * @param listener receives progress
   * @param cacheDir directory of the persistent pixel cache, or null to cache in memory only
   */
  public TrainingRun(PipelineConfig config, TrainingListener listener, Path cacheDir) {
    this.config = Objects.requireNonNull(config, "config");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.cacheDir = cacheDir;
  }

  /** Validation of one epoch: scores with the configured loss, and the confusion matrix at 0.5. */
  private record Validation(Scores scores, BinaryMetrics metrics, ConfusionMatrix atHalf) {}

  /**
   * Trains and returns the kept network with its metadata; the epoch is chosen as the
   * configuration's {@link PipelineConfig#selectOn()} says, for a split whose validation part is no
   * held-out test part.
   *
   * @param data the run's data
   * @param split the patient-level split to train and validate on
   * @param checkpointDir where checkpoints go, or null
   * @param resume continue the interrupted run in {@code checkpointDir}
   * @return the kept network and its metadata
   */
  public ModelFile.Contents train(
      TrainingData data, PatientSplit split, Path checkpointDir, boolean resume) {
    return train(data, split, checkpointDir, resume, null);
  }

  /**
   * Trains and returns the kept network with its metadata. Every epoch is scored on the split's
   * validation part (the AUC reported in the history); the kept epoch is the one with the best AUC
   * on the selection part: with {@link Selection#INNER} an inner patient-level split of the
   * training patients (which are then not trained on), so the validation part never takes part in
   * the choice, nor in the operating threshold; otherwise the validation part itself. A
   * cross-validation fold (non-null {@code fold}) is recorded in the metadata, and its validation
   * part is a held-out test part, which makes {@link Selection#AUTO} choose on an inner split.
   *
   * @param data the run's data
   * @param split the patient-level split to train and validate on
   * @param checkpointDir where checkpoints go, or null
   * @param resume continue the interrupted run in {@code checkpointDir}
   * @param fold the cross-validation fold {@code split} is, or null for a plain split
   * @return the kept network and its metadata
   */
  public ModelFile.Contents train(
      TrainingData data, PatientSplit split, Path checkpointDir, boolean resume, Fold fold) {
    List<String> names = data.labeled().labelNames();
    Checkpoints checkpoints = new Checkpoints(checkpointDir);
    checkpoints.checkWritable();
    startNanos = System.nanoTime();
    firstBatchReported = false;
    try (RunLock lock = checkpoints.lock(listener::onMessage);
        PixelCache cache =
            PixelCaches.open(
                cacheDir,
                data.dataset().root(),
                data.labeled().samples(),
                config.imageSize(),
                config.workers(),
                listener.progress())) {
      // the fingerprint names the data as found; the run uses its readable images (all of them
      // without skipBad, where the first bad image stops the run here, before any training)
      String fingerprint = DataFingerprint.of(data.dataset().root(), split);
      PatientSplit usable = data.readable(config, split, cache);
      // a cross-validation fold's validation part is its held-out test part
      PatientSplit inner = innerSplit(usable, config.selectOn().resolve(fold != null));
      List<Sample> fit = inner == null ? usable.train() : inner.train();
      List<Sample> choose = inner == null ? usable.validation() : inner.validation();
      Normalisation norm =
          config.standardise()
              ? TrainingData.statistics(fit, cache, config.imageSize())
              : Normalisation.MIN_MAX;
      listener.onStart(config.describe(), RunMessages.facts(data, usable, inner, names));
      TrainingImages trained = TrainingImages.of(fit.stream().map(Sample::path).toList());
      List<EpochResult> history = new ArrayList<>();
      ComputationGraph net;
      int bestEpoch = 0;
      INDArray bestParams = null;
      Checkpoints.Resumed resumed = null;
      if (resume) {
        Checkpoints.Resumed r = checkpoints.resume(config, fingerprint);
        resumed = r;
        net = r.network();
        history.addAll(r.history());
        bestEpoch = r.bestEpoch();
        bestParams = r.bestParams();
        listener.onMessage(
            "resuming from "
                + checkpointDir.resolve(Checkpoints.LAST)
                + " after epoch "
                + history.size());
      } else {
        net = NetworkFactory.build(config, data.task(), data.loss(config, fit));
      }
      checkpoints.checkSpace(net.numParams());
      // with a weight average, validation, the kept weights and the best checkpoint are the
      // average's
      average = config.emaDecay() > 0 ? new WeightAverage(net, config.emaDecay()) : null;
      if (average != null && resumed != null && resumed.average() != null) {
        average.restore(resumed.average());
      }
      ComputationGraph kept = average == null ? net : average.network();
      Scorer scorer = new Scorer(kept, config.imageSize(), norm, data.task());
      ILossFunction loss = data.loss(config, fit);
      // the validation and selection results of the kept weights, when trained in this run
      Validation bestValidation = null;
      Validation bestSelection = null;
      double bestAuc;
      if (inner == null) {
        bestAuc =
            history.stream().mapToDouble(EpochResult::auc).max().orElse(Double.NEGATIVE_INFINITY);
      } else {
        // the history holds validation AUCs only: score the kept weights on the inner split again
        bestAuc = Double.NEGATIVE_INFINITY;
        if (bestParams != null) {
          Validation again = validate(scorerAt(net, bestParams, norm, data), choose, cache, loss);
          bestAuc = again == null ? Double.NEGATIVE_INFINITY : again.metrics().auc();
        }
      }
      boolean stoppedEarly = false;
      CxrDataSetIterator trainIt = data.trainingIterator(config, fit, cache, norm);
      try {
        for (int e = history.size(); e < config.epochs(); e++) {
          trainIt.setEpoch(e);
          // DL4J draws dropout masks from ND4J's one global generator; seeding it from (seed,
          // epoch) at every epoch start makes a run, and a resumed run, repeat its masks exactly
          Nd4j.getRandom().setSeed(SplitMix64.mix64(config.seed() * SplitMix64.GOLDEN_GAMMA + e));
          double lr = lrAt(e);
          net.setLearningRate(lr);
          long t0 = System.nanoTime();
          double trainLoss = trainEpoch(net, trainIt, e + 1);
          double trainSeconds = (System.nanoTime() - t0) / 1e9;
          Validation v =
              Double.isFinite(trainLoss)
                  ? validate(scorer, usable.validation(), cache, loss)
                  : null;
          Validation sel = v == null || inner == null ? v : validate(scorer, choose, cache, loss);
          if (sel == null) {
            // a non-finite loss or score: the weights are lost, the best epoch so far is not
            listener.onMessage(RunMessages.diverged(e + 1, bestEpoch, bestAuc, lr));
            stoppedEarly = true;
            break;
          }
          EpochResult r =
              new EpochResult(
                  e + 1,
                  lr,
                  trainLoss,
                  v.scores().meanLoss(),
                  v.metrics().auc(),
                  v.metrics().ciLower(),
                  v.metrics().ciUpper(),
                  v.atHalf().sensitivity(),
                  v.atHalf().specificity(),
                  trainIt.numExamples() / trainSeconds,
                  (System.nanoTime() - t0) / 1e9);
          history.add(r);
          double selectionAuc = sel.metrics().auc();
          boolean best = selectionAuc > bestAuc;
          if (best) {
            bestAuc = selectionAuc;
            bestEpoch = e + 1;
            bestParams = kept.params().dup();
            bestValidation = v;
            bestSelection = sel;
          }
          if (inner != null) {
            listener.onSelectionScore(e + 1, selectionAuc);
          }
          listener.onEpochEnd(r, best);
          checkpoints.saveEpoch(
              net,
              average,
              info(data, norm, fingerprint, fit, usable, history, bestEpoch, trained, fold),
              best);
          if (EarlyStopping.shouldStop(config, e + 1, bestEpoch)) {
            stoppedEarly = true;
            break;
          }
        }
      } finally {
        trainIt.shutdown();
      }
      if (bestParams == null && stoppedEarly) {
        throw new IllegalStateException(
            RunMessages.diverged(history.size() + 1, 0, Double.NaN, lrAt(history.size())));
      }
      if (bestParams == null) {
        throw new IllegalStateException(
            "no epoch was trained (epochs "
                + config.epochs()
                + ", already completed "
                + history.size()
                + ")");
      }
      net.setParams(bestParams);
      kept.setParams(bestParams);
      listener.onFinish(history, bestEpoch, stoppedEarly);
      if (cache.persistent().isPresent()) {
        listener.onMessage(PixelCaches.summary(cache));
      }
      // metrics of the kept weights, with the operating threshold chosen on the selection part;
      // scored again only when the best epoch was trained before a resume
      Validation v =
          bestValidation != null
              ? bestValidation
              : validate(scorer, usable.validation(), cache, loss);
      Validation sel =
          inner == null
              ? v
              : bestSelection != null ? bestSelection : validate(scorer, choose, cache, loss);
      double threshold = OperatingPoint.threshold(sel.metrics());
      ConfusionMatrix cm = v.metrics().confusionAt(threshold);
      ModelInfo info =
          info(data, norm, fingerprint, fit, usable, history, bestEpoch, trained, fold)
              .withValidation(
                  new ValidationSummary(
                      v.metrics().auc(),
                      v.metrics().ciLower(),
                      v.metrics().ciUpper(),
                      threshold,
                      cm.sensitivity(),
                      cm.specificity()));
      checkpoints.saveFinal(net, info);
      return new ModelFile.Contents(net, info);
    }
  }

  /**
   * The inner split that chooses the epoch, or null when the validation part chooses it. Its seed
   * is derived from the run's, so it is not the outer split's shuffle again.
   */
  private PatientSplit innerSplit(PatientSplit split, Selection selection) {
    if (selection != Selection.INNER) {
      return null;
    }
    long seed = SplitMix64.mix64(config.seed() ^ 0x1A2B3C4D5E6F7081L);
    return PatientSplit.trainValidation(split.train(), config.validationFraction(), seed);
  }

  /** A scorer of a copy of the network holding other weights. */
  private Scorer scorerAt(ComputationGraph net, INDArray params, Normalisation n, TrainingData d) {
    ComputationGraph copy = net.clone();
    copy.setParams(params);
    return new Scorer(copy, config.imageSize(), n, d.task());
  }

  private ModelInfo info(
      TrainingData data,
      Normalisation norm,
      String fingerprint,
      List<Sample> fit,
      PatientSplit split,
      List<EpochResult> history,
      int bestEpoch,
      TrainingImages trained,
      Fold fold) {
    EpochResult best =
        history.stream()
            .filter(h -> h.epoch() == bestEpoch)
            .findFirst()
            .orElse(history.get(history.size() - 1));
    ValidationSummary atHalf =
        new ValidationSummary(
            best.auc(),
            best.aucLow(),
            best.aucHigh(),
            Double.NaN,
            best.sensitivity(),
            best.specificity());
    return new ModelInfo(
        ModelInfo.FORMAT,
        ModelInfo.currentLibraryVersion(),
        ModelInfo.DL4J_VERSION,
        config,
        data.labeled().labelNames(),
        norm,
        fingerprint,
        fit.size(),
        split.validation().size(),
        bestEpoch,
        history.get(history.size() - 1).epoch(),
        atHalf,
        history,
        fold,
        trained);
  }

  private double lrAt(int epoch) {
    return config.schedule().rate(config.learningRate(), epoch, config.epochs());
  }

  /**
   * Trains one epoch.
   *
   * @return the mean training loss, or NaN as soon as a batch's loss is not finite (diverged)
   */
  private double trainEpoch(ComputationGraph net, CxrDataSetIterator it, int epoch) {
    listener.onEpochStart(epoch, config.epochs(), it.numExamples());
    double lossSum = 0;
    int seen = 0;
    long t0 = System.nanoTime();
    while (it.hasNext()) {
      DataSet ds = it.next();
      if (!firstBatchReported) {
        firstBatchReported = true;
        listener.onMessage(
            String.format(
                Locale.ROOT,
                "first batch after %.1f s (pixel cache, statistics, network)",
                (System.nanoTime() - startNanos) / 1e9));
      }
      net.fit(ds);
      if (average != null) {
        average.update(net);
      }
      int n = ds.numExamples();
      double score = net.score();
      if (!Double.isFinite(score)) {
        return Double.NaN;
      }
      lossSum += score * n;
      seen += n;
      listener.onBatch(seen, lossSum / seen, seen / ((System.nanoTime() - t0) / 1e9));
    }
    return lossSum / Math.max(1, seen);
  }

  private Validation validate(
      Scorer scorer, List<Sample> val, PixelCache cache, ILossFunction loss) {
    Scores s = scorer.score(val, cache, config.workers(), loss);
    if (Arrays.stream(s.scores()).anyMatch(x -> !Double.isFinite(x))) {
      return null; // diverged: the network outputs NaN
    }
    BinaryMetrics m = s.metrics();
    return new Validation(s, m, m.confusionAt(0.5));
  }
}
