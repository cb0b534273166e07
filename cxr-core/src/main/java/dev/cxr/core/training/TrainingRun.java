package dev.cxr.core.training;

import dev.cxr.augment.SplitMix64;
import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Selection;
import dev.cxr.core.data.CxrDataSetIterator;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.PixelCaches;
import dev.cxr.core.data.Sample;
import dev.cxr.core.evaluation.OperatingPoint;
import dev.cxr.core.evaluation.Scorer;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.io.RunLock;
import dev.cxr.core.provenance.DataFingerprint;
import dev.cxr.core.provenance.EpochResult;
import dev.cxr.core.provenance.Fold;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.provenance.TrainingImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

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
   * validation part (the AUC reported in the history: for a multi-label task, the mean AUC over its
   * findings); the kept epoch is the one with the best AUC on the selection part: with {@link
   * Selection#INNER} an inner patient-level split of the training patients (which are then not
   * trained on), so the validation part never takes part in the choice, nor in the operating
   * thresholds; otherwise the validation part itself. A cross-validation fold (non-null {@code
   * fold}) is recorded in the metadata, and its validation part is a held-out test part, which
   * makes {@link Selection#AUTO} choose on an inner split.
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
                data.dataset().commonRoot(),
                data.labeled().samples(),
                config.imageSize(),
                config.workers(),
                listener.progress())) {
      // the fingerprint names the data as found; the run uses its readable images (all of them
      // without skipBad, where the first bad image stops the run here, before any training)
      String fingerprint = DataFingerprint.of(data.dataset(), split);
      PatientSplit usable = data.readable(config, split, cache);
      // a cross-validation fold's validation part is its held-out test part
      PatientSplit inner = innerSplit(usable, config.selectOn().resolve(fold != null));
      List<Sample> fit = inner == null ? usable.train() : inner.train();
      List<Sample> choose = inner == null ? usable.validation() : inner.validation();
      Normalisation norm =
          config.standardise()
              ? TrainingData.statistics(fit, cache, config.imageSize())
              : Normalisation.MIN_MAX;
      listener.onStart(
          config.describe(), RunMessages.facts(data, usable, inner, names, config, fit));
      RunState.Setup run =
          new RunState.Setup(
              data,
              usable,
              inner,
              fit,
              choose,
              norm,
              fingerprint,
              TrainingImages.of(fit.stream().map(Sample::path).toList()),
              fold,
              checkpoints,
              cache,
              data.loss(config, fit));
      List<EpochResult> history = new ArrayList<>();
      RunState.Best best = new RunState.Best();
      ComputationGraph net = start(run, checkpointDir, resume, history, best);
      ComputationGraph kept = average == null ? net : average.network();
      Scorer scorer = new Scorer(kept, config.imageSize(), norm, data.task());
      boolean stoppedEarly = epochs(run, net, kept, scorer, history, best);
      return finish(run, net, kept, scorer, history, best, stoppedEarly);
    }
  }

  /**
   * The network to train: new, or the interrupted run's with its history and best epoch; sets up
   * the weight average.
   */
  private ComputationGraph start(
      RunState.Setup run,
      Path checkpointDir,
      boolean resume,
      List<EpochResult> history,
      RunState.Best best) {
    ComputationGraph net;
    Checkpoints.Resumed resumed = null;
    if (resume) {
      resumed = run.checkpoints().resume(config, run.fingerprint());
      net = resumed.network();
      history.addAll(resumed.history());
      best.epoch = resumed.bestEpoch();
      best.params = resumed.bestParams();
      listener.onMessage(
          "resuming from "
              + checkpointDir.resolve(Checkpoints.LAST)
              + " after epoch "
              + history.size());
    } else {
      net = NetworkFactory.build(config, run.data().task(), run.loss());
    }
    run.checkpoints().checkSpace(net.numParams());
    // with a weight average, validation, the kept weights and the best checkpoint are the
    // average's
    average = config.emaDecay() > 0 ? new WeightAverage(net, config.emaDecay()) : null;
    if (average != null && resumed != null && resumed.average() != null) {
      average.restore(resumed.average());
    }
    if (run.inner() == null) {
      best.auc =
          history.stream().mapToDouble(EpochResult::auc).max().orElse(Double.NEGATIVE_INFINITY);
    } else if (best.params != null) {
      // the history holds validation AUCs only: score the kept weights on the inner split again
      EpochScores again = validate(scorerAt(net, best.params, run), run.choose(), run);
      best.auc = again == null ? Double.NEGATIVE_INFINITY : again.auc();
    }
    return net;
  }

  /**
   * The epoch loop: train, validate, choose, checkpoint, stop early.
   *
   * @return whether the run stopped before its last epoch (early stopping or divergence)
   */
  private boolean epochs(
      RunState.Setup run,
      ComputationGraph net,
      ComputationGraph kept,
      Scorer scorer,
      List<EpochResult> history,
      RunState.Best best) {
    CxrDataSetIterator trainIt =
        run.data().trainingIterator(config, run.fit(), run.cache(), run.norm());
    try {
      for (int e = history.size(); e < config.epochs(); e++) {
        trainIt.setEpoch(e);
        // DL4J draws dropout masks from ND4J's one global generator; seeding it from (seed,
        // epoch) at every epoch start makes a run, and a resumed run, repeat its masks exactly
        Nd4j.getRandom().setSeed(SplitMix64.mix64(config.seed() * SplitMix64.GOLDEN_GAMMA + e));
        double lr = lrAt(e);
        NetworkFactory.setLearningRate(net, config, e, lr);
        long t0 = System.nanoTime();
        double trainLoss = trainEpoch(net, trainIt, e + 1);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        EpochScores v =
            Double.isFinite(trainLoss) ? validate(scorer, run.usable().validation(), run) : null;
        EpochScores sel =
            v == null || run.inner() == null ? v : validate(scorer, run.choose(), run);
        if (sel == null) {
          // a non-finite loss or score: the weights are lost, the best epoch so far is not
          listener.onMessage(RunMessages.diverged(e + 1, best.epoch, best.auc, lr));
          return true;
        }
        EpochResult r =
            v.result(
                e + 1,
                lr,
                trainLoss,
                trainIt.numExamples() / trainSeconds,
                (System.nanoTime() - t0) / 1e9);
        history.add(r);
        boolean isBest = sel.auc() > best.auc;
        if (isBest) {
          best.auc = sel.auc();
          best.epoch = e + 1;
          best.params = kept.params().dup();
          best.validation = v;
          best.selection = sel;
        }
        if (run.inner() != null) {
          listener.onSelectionScore(e + 1, sel.auc());
        }
        listener.onEpochEnd(r, isBest);
        run.checkpoints().saveEpoch(net, average, info(run, history, best.epoch), isBest);
        if (EarlyStopping.shouldStop(config, e + 1, best.epoch)) {
          return true;
        }
      }
      return false;
    } finally {
      trainIt.shutdown();
    }
  }

  /**
   * The kept weights and their metadata: metrics of the kept epoch with the operating thresholds
   * chosen on the selection part; scored again only when the best epoch was trained before a
   * resume.
   */
  private ModelFile.Contents finish(
      RunState.Setup run,
      ComputationGraph net,
      ComputationGraph kept,
      Scorer scorer,
      List<EpochResult> history,
      RunState.Best best,
      boolean stoppedEarly) {
    if (best.params == null && stoppedEarly) {
      throw new IllegalStateException(
          RunMessages.diverged(history.size() + 1, 0, Double.NaN, lrAt(history.size())));
    }
    if (best.params == null) {
      throw new IllegalStateException(
          "no epoch was trained (epochs "
              + config.epochs()
              + ", already completed "
              + history.size()
              + ")");
    }
    net.setParams(best.params);
    kept.setParams(best.params);
    listener.onFinish(history, best.epoch, stoppedEarly);
    if (run.cache().persistent().isPresent()) {
      listener.onMessage(PixelCaches.summary(run.cache()));
    }
    EpochScores v =
        best.validation != null
            ? best.validation
            : validate(scorer, run.usable().validation(), run);
    EpochScores sel =
        run.inner() == null
            ? v
            : best.selection != null ? best.selection : validate(scorer, run.choose(), run);
    ModelInfo info =
        info(run, history, best.epoch)
            .withValidation(OperatingPoint.summary(run.data().task(), v.scores(), sel.scores()));
    run.checkpoints().saveFinal(net, info);
    return new ModelFile.Contents(net, info);
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
  private Scorer scorerAt(ComputationGraph net, INDArray params, RunState.Setup run) {
    ComputationGraph copy = net.clone();
    copy.setParams(params);
    return new Scorer(copy, config.imageSize(), run.norm(), run.data().task());
  }

  /** The run's metadata so far, with the kept epoch's history row as its summary. */
  private ModelInfo info(RunState.Setup run, List<EpochResult> history, int bestEpoch) {
    EpochResult best =
        history.stream()
            .filter(h -> h.epoch() == bestEpoch)
            .findFirst()
            .orElse(history.get(history.size() - 1));
    return new ModelInfo(
        ModelInfo.FORMAT,
        ModelInfo.currentLibraryVersion(),
        ModelInfo.DL4J_VERSION,
        config,
        run.data().labeled().labelNames(),
        run.norm(),
        run.fingerprint(),
        run.fit().size(),
        run.usable().validation().size(),
        bestEpoch,
        history.get(history.size() - 1).epoch(),
        RunSummary.atHalf(run.data().task(), best),
        history,
        run.fold(),
        run.trained());
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
    // after this epoch's learning rates were set (DL4J replaces the updater when they change)
    FusedUpdater fused = FusedUpdater.install(net);
    boolean averagedInUpdater = fused != null && average != null;
    if (averagedInUpdater) {
      fused.averageInto(average);
    }
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
      if (average != null && !averagedInUpdater) {
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

  private EpochScores validate(Scorer scorer, List<Sample> part, RunState.Setup run) {
    return EpochScores.of(scorer.score(part, run.cache(), config.workers(), run.loss()));
  }
}
