package dev.cxr.core;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.data.CxrDataSetIterator;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.image.PixelCache;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.ConfusionMatrix;
import dev.cxr.resnet.HeadActivation;
import dev.cxr.resnet.ResNets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The fluent builder that composes everything: data discovery and patient-level split (cxr-core),
 * medical-safe augmentation (cxr-augment), a ResNet (cxr-resnet) and a weighted loss (cxr-loss);
 * it trains, validates every epoch (exact AUC with a 95% DeLong CI), keeps the best-AUC
 * checkpoint, stops early and returns the best model.
 *
 * <pre>{@code
 * CxrModel model = CxrPipeline.builder().resnet(18).classWeights(1, 5).fit(dir);
 * }</pre>
 *
 * <p>Method of the article "Detecting anomalies in X-ray using CNN": NIH ChestX-ray14 data, Effusion
 * vs No Finding, min-max normalisation, ResNet, weighted cross-entropy, checkpoint on the best
 * validation AUC.
 */
public final class CxrPipeline {
  /** Name of the best-AUC checkpoint in the checkpoint directory. */
  public static final String BEST_CHECKPOINT = "best.zip";

  /** Name of the last-epoch checkpoint (with optimiser state, for resuming). */
  public static final String LAST_CHECKPOINT = "last.zip";

  private final PipelineConfig config;
  private final TrainingListener listener;
  private final boolean resume;

  private CxrPipeline(PipelineConfig config, TrainingListener listener, boolean resume) {
    this.config = config;
    this.listener = listener;
    this.resume = resume;
  }

  /** @return a builder with the defaults of {@link PipelineConfig#DEFAULTS} */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the configuration */
  public PipelineConfig config() {
    return config;
  }

  // ---------------------------------------------------------------------------------------------
  // training

  /**
   * Trains on a data directory and returns the best model (highest validation AUC).
   *
   * @param dir a data directory (NIH layout or class folders)
   * @return the best model
   * @throws CxrDataException for unusable data
   */
  public CxrModel fit(Path dir) {
    Prepared p = prepare(dir);
    PatientSplit split =
        PatientSplit.trainValidation(p.labeled.samples(), config.validationFraction(), config.seed());
    return train(p, split, config.checkpointDir(), resume);
  }

  /** Data read once per run. */
  private record Prepared(CxrDataset dataset, CxrTask task, CxrTask.Labeled labeled) {}

  private Prepared prepare(Path dir) {
    Objects.requireNonNull(dir, "dir");
    dev.cxr.resnet.compat.OneDnnHelpers.ensureEnabled();
    CxrDataset ds = CxrDataset.scan(dir, config.labels(), config.skipBad());
    CxrTask task = new CxrTask(config.positive(), config.othersAsNegative(), false);
    CxrTask.Labeled labeled = task.label(ds);
    if (labeled.samples().isEmpty()) {
      throw new CxrDataException(dir, "no usable images (" + task.positive() + " or No Finding)");
    }
    if (labeled.positives() == 0 || labeled.positives() == labeled.samples().size()) {
      throw new CxrDataException(
          dir,
          "the data has " + labeled.positives() + " '" + task.positive() + "' images out of "
              + labeled.samples().size() + ": both classes are needed");
    }
    return new Prepared(ds, task, labeled);
  }

  private CxrModel train(Prepared p, PatientSplit split, Path checkpointDir, boolean resumeRun) {
    List<String> names = p.labeled.labelNames();
    try (PixelCache cache = PixelCache.create()) {
      Normalisation norm =
          config.standardise() ? trainingStatistics(split.train(), cache) : Normalisation.MIN_MAX;
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("data", p.dataset.root() + " (" + p.labeled.samples().size() + " images, "
          + p.labeled.patients() + " patients)");
      facts.put("train", describePart(split.train(), names));
      facts.put("validation", describePart(split.validation(), names));
      facts.put("native", dev.cxr.resnet.compat.OneDnnHelpers.describe());
      listener.onStart(config.describe(), facts);

      ComputationGraph net;
      List<EpochResult> history = new ArrayList<>();
      int startEpoch = 0;
      int bestEpoch = 0;
      double bestAuc = Double.NEGATIVE_INFINITY;
      INDArray bestParams = null;
      Validation bestValidation = null; // scores of the kept weights, when trained in this run
      String fingerprint = fingerprint(p.dataset.root(), split);
      Path last = checkpointDir == null ? null : checkpointDir.resolve(LAST_CHECKPOINT);
      if (resumeRun) {
        if (last == null || !Files.isRegularFile(last)) {
          throw new IllegalStateException(
              "cannot resume: no " + LAST_CHECKPOINT + " in " + checkpointDir);
        }
        CxrModel saved = CxrModel.load(last, true);
        checkSameRun(last, saved.info(), fingerprint);
        net = saved.network();
        history.addAll(saved.info().history());
        startEpoch = saved.info().epochsCompleted();
        bestEpoch = saved.info().bestEpoch();
        for (EpochResult r : history) {
          bestAuc = Math.max(bestAuc, r.auc());
        }
        Path best = checkpointDir.resolve(BEST_CHECKPOINT);
        bestParams = Files.isRegularFile(best) ? CxrModel.load(best).network().params().dup() : null;
        listener.onMessage("resuming from " + last + " after epoch " + startEpoch);
      } else {
        net = buildNetwork(names.size());
      }

      ILossFunction loss = config.loss().toLossFunction(false);
      CxrDataSetIterator trainIt = trainingIterator(split.train(), cache, norm, names);
      boolean stoppedEarly = false;
      try {
        for (int e = startEpoch; e < config.epochs(); e++) {
          trainIt.setEpoch(e);
          double lr = config.schedule().rate(config.learningRate(), e, config.epochs());
          net.setLearningRate(lr);
          long t0 = System.nanoTime();
          double trainLoss = trainEpoch(net, trainIt, e + 1);
          double trainSeconds = (System.nanoTime() - t0) / 1e9;
          Validation v = validate(net, split.validation(), cache, norm, names, loss);
          double seconds = (System.nanoTime() - t0) / 1e9;
          EpochResult r =
              new EpochResult(e + 1, lr, trainLoss, v.loss, v.metrics.auc(), v.metrics.ciLower(),
                  v.metrics.ciUpper(), v.atHalf.sensitivity(), v.atHalf.specificity(),
                  trainIt.numExamples() / trainSeconds, seconds);
          history.add(r);
          boolean best = r.auc() > bestAuc;
          if (best) {
            bestAuc = r.auc();
            bestEpoch = e + 1;
            bestParams = net.params().dup();
            bestValidation = v;
          }
          listener.onEpochEnd(r, best);
          if (checkpointDir != null) {
            CxrModel checkpoint =
                new CxrModel(net, info(names, norm, fingerprint, split, history, bestEpoch, e + 1, p));
            if (best) {
              checkpoint.save(checkpointDir.resolve(BEST_CHECKPOINT));
            }
            checkpoint.save(last, true);
          }
          if (config.patience() > 0 && e + 1 - bestEpoch >= config.patience()
              && e + 1 < config.epochs()) {
            stoppedEarly = true;
            break;
          }
        }
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot write checkpoint in " + checkpointDir, ex);
      } finally {
        trainIt.shutdown();
      }
      if (bestParams == null) {
        throw new IllegalStateException(
            "no epoch was trained (epochs " + config.epochs() + ", already completed "
                + startEpoch + ")");
      }
      net.setParams(bestParams);
      listener.onFinish(history, bestEpoch, stoppedEarly);
      // metrics of the kept weights, with the operating threshold chosen on validation
      Validation v = bestValidation != null
          ? bestValidation
          : validate(net, split.validation(), cache, norm, names, loss); // best epoch before a resume
      double threshold = operatingThreshold(v.metrics);
      ConfusionMatrix cm = v.metrics.confusionAt(threshold);
      ModelInfo info = info(names, norm, fingerprint, split, history, bestEpoch,
              history.get(history.size() - 1).epoch(), p)
          .withValidation(v.metrics.auc(), v.metrics.ciLower(), v.metrics.ciUpper(), threshold,
              cm.sensitivity(), cm.specificity());
      CxrModel model = new CxrModel(net, info);
      if (checkpointDir != null) {
        try {
          model.save(checkpointDir.resolve(BEST_CHECKPOINT));
        } catch (IOException ex) {
          throw new UncheckedIOException("cannot write checkpoint in " + checkpointDir, ex);
        }
      }
      return model;
    }
  }

  /**
   * Youden's J threshold, moved halfway down to the next lower validation score so that the
   * operating point does not sit exactly on one image's score (where float noise would flip it).
   */
  static double operatingThreshold(BinaryMetrics m) {
    double t = m.youdenThreshold();
    double[] thresholds = m.rocThresholds();
    for (double next : thresholds) {
      if (next < t) {
        return (t + next) / 2; // thresholds are in descending order: the first lower one
      }
    }
    return t;
  }

  private void checkSameRun(Path last, ModelInfo saved, String fingerprint) {
    Map<String, String> now = new LinkedHashMap<>(config.describe());
    Map<String, String> then = new LinkedHashMap<>(saved.config());
    for (String volatileKey : List.of("epochs", "early stopping", "checkpoints", "workers")) {
      now.remove(volatileKey);
      then.remove(volatileKey);
    }
    if (!now.equals(then)) {
      for (String k : now.keySet()) {
        if (!Objects.equals(now.get(k), then.get(k))) {
          throw new IllegalStateException(
              "cannot resume from " + last + ": it was trained with " + k + " = " + then.get(k)
                  + " but this run has " + now.get(k));
        }
      }
      throw new IllegalStateException("cannot resume from " + last + ": different settings");
    }
    if (!fingerprint.equals(saved.dataFingerprint())) {
      throw new IllegalStateException(
          "cannot resume from " + last + ": the training data has changed since it was written");
    }
  }

  private ModelInfo info(List<String> names, Normalisation norm, String fingerprint,
      PatientSplit split, List<EpochResult> history, int bestEpoch, int completed, Prepared p) {
    EpochResult best = history.stream().filter(h -> h.epoch() == bestEpoch).findFirst()
        .orElse(history.get(history.size() - 1));
    return new ModelInfo(ModelInfo.FORMAT, ModelInfo.currentLibraryVersion(),
        ModelInfo.DL4J_VERSION, names, p.task.positive(), p.task.otherFindingsAsNegative(),
        config.imageSize(), norm, config.augmentation().parameters(), config.loss().describe(),
        config.describe(), config.seed(), config.validationFraction(),
        config.labels() == null ? null : config.labels().toString(), fingerprint,
        split.train().size(), split.validation().size(), bestEpoch, completed, best.auc(),
        best.aucLow(), best.aucHigh(), Double.NaN, best.sensitivity(), best.specificity(),
        List.copyOf(history));
  }

  private ComputationGraph buildNetwork(int classes) {
    IUpdater updater =
        config.optimizer() == PipelineConfig.Optimizer.ADAM
            ? new Adam(config.learningRate())
            : new Nesterovs(config.learningRate(), config.momentum());
    return ResNets.builder()
        .depth(config.depth())
        .preActivation(config.preActivation())
        .inputShape(1, config.imageSize(), config.imageSize())
        .classes(classes)
        .headActivation(HeadActivation.SOFTMAX)
        .loss(config.loss().toLossFunction(false))
        .width(config.width())
        .dropout(config.dropout())
        .l2(config.l2())
        .seed(config.seed())
        .updater(updater)
        .build();
  }

  /** Shuffled, augmented batches of the training split. */
  private CxrDataSetIterator trainingIterator(
      List<Sample> train, PixelCache cache, Normalisation norm, List<String> names) {
    return CxrDataSetIterator.builder()
        .samples(train)
        .imageSize(config.imageSize())
        .batchSize(config.batchSize())
        .shuffle(true)
        .seed(config.seed())
        .augmenter(augmenter())
        .cache(cache)
        .workers(config.workers())
        .normalisation(norm)
        .labelNames(names)
        .skipBad(config.skipBad())
        .build();
  }

  private dev.cxr.core.data.ImageAugmenter augmenter() {
    CxrAugmentation aug = config.augmentation();
    if (aug.transforms().isEmpty() && aug.horizontalFlipProbability() == 0) {
      return null;
    }
    return aug.withSeed(config.seed())::apply;
  }

  private double trainEpoch(ComputationGraph net, CxrDataSetIterator it, int epoch) {
    listener.onEpochStart(epoch, config.epochs(), it.numExamples());
    double lossSum = 0;
    int seen = 0;
    long t0 = System.nanoTime();
    while (it.hasNext()) {
      DataSet ds = it.next();
      net.fit(ds);
      int n = ds.numExamples();
      lossSum += net.score() * n;
      seen += n;
      double secs = (System.nanoTime() - t0) / 1e9;
      listener.onBatch(seen, lossSum / seen, seen / secs);
    }
    return lossSum / Math.max(1, seen);
  }

  /** Validation scores and metrics. */
  private record Validation(BinaryMetrics metrics, ConfusionMatrix atHalf, double loss) {}

  private Validation validate(ComputationGraph net, List<Sample> val, PixelCache cache,
      Normalisation norm, List<String> names, ILossFunction loss) {
    CxrDataSetIterator it =
        CxrModel.evaluationIterator(val, config.imageSize(), norm, names, cache, config.workers());
    double[] scores = new double[val.size()];
    boolean[] positive = new boolean[val.size()];
    double lossSum = 0;
    int k = 0;
    try {
      while (it.hasNext()) {
        DataSet ds = it.next();
        INDArray out = net.outputSingle(false, ds.getFeatures());
        // softmax(log p) = p, so the configured loss can be computed from the probabilities
        INDArray pre = Transforms.log(Transforms.max(out, 1e-10, true), false);
        lossSum += loss.computeScoreArray(ds.getLabels(), pre,
            Activation.SOFTMAX.getActivationFunction(), null).sumNumber().doubleValue();
        for (int r = 0; r < out.rows(); r++) {
          scores[k] = out.getDouble(r, names.size() - 1);
          positive[k] = val.get(k).positive();
          k++;
        }
      }
    } finally {
      it.shutdown();
    }
    BinaryMetrics m = BinaryMetrics.of(scores, positive);
    return new Validation(m, m.confusionAt(0.5), lossSum / val.size());
  }

  private Normalisation trainingStatistics(List<Sample> train, PixelCache cache) {
    double sum = 0;
    double sumSq = 0;
    long n = 0;
    for (Sample s : train) {
      float[] px = cache.get(s.path(), config.imageSize(), config.imageSize()).minMaxNormalised();
      for (float v : px) {
        sum += v;
        sumSq += (double) v * v;
      }
      n += px.length;
    }
    double mean = sum / n;
    double std = Math.sqrt(Math.max(1e-12, sumSq / n - mean * mean));
    return Normalisation.standardised(mean, std);
  }

  private static String describePart(List<Sample> part, List<String> names) {
    StringBuilder sb = new StringBuilder();
    PatientSplit.countsByClass(part, names).forEach((k, v) -> sb.append(k).append(' ').append(v).append(", "));
    return sb.append(part.stream().map(Sample::patientId).distinct().count()).append(" patients").toString();
  }

  /** SHA-256 over the relative path, size and label of every training and validation image. */
  static String fingerprint(Path root, PatientSplit split) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (List<Sample> part : List.of(split.train(), split.validation())) {
        for (Sample s : part) {
          String rel = root.relativize(s.path()).toString().replace('\\', '/');
          long size = Files.size(s.path());
          md.update((rel + "|" + size + "|" + s.positive() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // cross-validation

  /**
   * Patient-level k-fold cross-validation: one model per fold, each validated on its held-out
   * patients. The honest figure on a small data set.
   *
   * @param dir a data directory
   * @param folds number of folds, at least 2
   * @return per-fold best validation AUCs
   */
  public CrossValidation crossValidate(Path dir, int folds) {
    Prepared p = prepare(dir);
    List<PatientSplit> splits = PatientSplit.kFold(p.labeled.samples(), folds, config.seed());
    List<ModelInfo> results = new ArrayList<>();
    for (int i = 0; i < splits.size(); i++) {
      listener.onMessage("fold " + (i + 1) + "/" + folds);
      Path cp = config.checkpointDir() == null ? null : config.checkpointDir().resolve("fold-" + (i + 1));
      results.add(train(p, splits.get(i), cp, false).info());
    }
    return new CrossValidation(results);
  }

  /**
   * Result of {@link #crossValidate(Path, int)}.
   *
   * @param folds the kept model's metadata per fold
   */
  public record CrossValidation(List<ModelInfo> folds) {
    /** @return mean of the folds' validation AUCs */
    public double meanAuc() {
      return folds.stream().mapToDouble(ModelInfo::auc).average().orElse(Double.NaN);
    }

    /** @return sample standard deviation of the folds' validation AUCs */
    public double sdAuc() {
      double m = meanAuc();
      double ss = folds.stream().mapToDouble(f -> (f.auc() - m) * (f.auc() - m)).sum();
      return folds.size() > 1 ? Math.sqrt(ss / (folds.size() - 1)) : 0;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // learning-rate finder

  /**
   * The learning-rate range test (Smith 2017): trains from fresh weights while the learning rate
   * grows exponentially from {@code minRate} to {@code maxRate} over {@code steps} batches of the
   * training split, recording the smoothed loss; stops early when the loss explodes.
   *
   * @param dir a data directory
   * @param minRate first learning rate
   * @param maxRate last learning rate
   * @param steps number of batches
   * @return the curve and a suggested rate
   */
  public LrFinder.Result findLearningRate(Path dir, double minRate, double maxRate, int steps) {
    Prepared p = prepare(dir);
    PatientSplit split =
        PatientSplit.trainValidation(p.labeled.samples(), config.validationFraction(), config.seed());
    try (PixelCache cache = PixelCache.create()) {
      CxrDataSetIterator it =
          trainingIterator(split.train(), cache, Normalisation.MIN_MAX, p.labeled.labelNames());
      try {
        return LrFinder.run(buildNetwork(p.labeled.labelNames().size()), it, minRate, maxRate,
            steps, listener);
      } finally {
        it.shutdown();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // builder

  /**
   * Builder of {@link CxrPipeline}. Every setter checks its argument at once; {@link #build()}
   * checks combinations and never changes the builder, so it can be reused.
   */
  public static final class Builder {
    private static final java.util.Set<Integer> DEPTHS = java.util.Set.of(18, 34, 50, 101, 152);
    private int depth = PipelineConfig.DEFAULTS.depth();
    private boolean preActivation = PipelineConfig.DEFAULTS.preActivation();
    private int width = PipelineConfig.DEFAULTS.width();
    private int imageSize = PipelineConfig.DEFAULTS.imageSize();
    private int batchSize = PipelineConfig.DEFAULTS.batchSize();
    private int epochs = PipelineConfig.DEFAULTS.epochs();
    private PipelineConfig.Optimizer optimizer = PipelineConfig.DEFAULTS.optimizer();
    private double learningRate = PipelineConfig.DEFAULTS.learningRate();
    private double momentum = PipelineConfig.DEFAULTS.momentum();
    private PipelineConfig.Schedule schedule = PipelineConfig.DEFAULTS.schedule();
    private CxrAugmentation augmentation = PipelineConfig.DEFAULTS.augmentation();
    private LossSpec loss = PipelineConfig.DEFAULTS.loss();
    private String positive = PipelineConfig.DEFAULTS.positive();
    private boolean othersAsNegative = PipelineConfig.DEFAULTS.othersAsNegative();
    private double validationFraction = PipelineConfig.DEFAULTS.validationFraction();
    private long seed = PipelineConfig.DEFAULTS.seed();
    private Path checkpointDir = PipelineConfig.DEFAULTS.checkpointDir();
    private int patience = PipelineConfig.DEFAULTS.patience();
    private int workers = PipelineConfig.DEFAULTS.workers();
    private double dropout = PipelineConfig.DEFAULTS.dropout();
    private double l2 = PipelineConfig.DEFAULTS.l2();
    private boolean standardise = PipelineConfig.DEFAULTS.standardise();
    private boolean skipBad = PipelineConfig.DEFAULTS.skipBad();
    private Path labels = PipelineConfig.DEFAULTS.labels();
    private TrainingListener listener = ConsoleProgress.standardOutput();
    private boolean resume;

    private Builder() {}

    /**
     * @param depth ResNet depth: 18, 34, 50, 101 or 152 (default 18)
     * @return this
     */
    public Builder resnet(int depth) {
      if (!DEPTHS.contains(depth)) {
        throw new IllegalArgumentException(
            "resnet depth must be one of [18, 34, 50, 101, 152] but was " + depth);
      }
      this.depth = depth;
      return this;
    }

    /**
     * @param preActivation use the pre-activation ResNet of He et al. 2016 (default false)
     * @return this
     */
    public Builder preActivation(boolean preActivation) {
      this.preActivation = preActivation;
      return this;
    }

    /**
     * @param width base number of filters (default 64; 8-16 for quick experiments)
     * @return this
     */
    public Builder width(int width) {
      if (width < 1 || width > 512) {
        throw new IllegalArgumentException("width must be in [1, 512] but was " + width);
      }
      this.width = width;
      return this;
    }

    /**
     * @param size square input size in pixels (default 256)
     * @return this
     */
    public Builder imageSize(int size) {
      if (size < 32 || size > 2048) {
        throw new IllegalArgumentException("imageSize must be in [32, 2048] but was " + size);
      }
      this.imageSize = size;
      return this;
    }

    /**
     * @param batchSize images per batch (default 16)
     * @return this
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > 4096) {
        throw new IllegalArgumentException("batchSize must be in [1, 4096] but was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * @param epochs maximum number of epochs (default 10)
     * @return this
     */
    public Builder epochs(int epochs) {
      if (epochs < 1 || epochs > 10_000) {
        throw new IllegalArgumentException("epochs must be in [1, 10000] but was " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /**
     * Adam with the given learning rate (the default optimiser, rate 1e-3).
     *
     * @param learningRate learning rate
     * @return this
     */
    public Builder adam(double learningRate) {
      this.optimizer = PipelineConfig.Optimizer.ADAM;
      return learningRate(learningRate);
    }

    /**
     * SGD with Nesterov momentum, as in the article's notebook (lr 0.01).
     *
     * @param learningRate learning rate
     * @param momentum momentum in [0, 1)
     * @return this
     */
    public Builder sgd(double learningRate, double momentum) {
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("momentum must be in [0, 1) but was " + momentum);
      }
      this.optimizer = PipelineConfig.Optimizer.SGD;
      this.momentum = momentum;
      return learningRate(learningRate);
    }

    /**
     * @param learningRate initial learning rate, in (0, 10]
     * @return this
     */
    public Builder learningRate(double learningRate) {
      if (!(learningRate > 0 && learningRate <= 10)) {
        throw new IllegalArgumentException("learningRate must be in (0, 10] but was " + learningRate);
      }
      this.learningRate = learningRate;
      return this;
    }

    /**
     * @param schedule learning-rate schedule (default constant)
     * @return this
     */
    public Builder schedule(PipelineConfig.Schedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /**
     * @param augmentation training augmentation (default {@link CxrAugmentation#medicalSafe()})
     * @return this
     */
    public Builder augmentation(CxrAugmentation augmentation) {
      this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
      return this;
    }

    /**
     * Class-weighted cross-entropy: {@code classWeights(1, 5)} makes a mistake on an Effusion image
     * (class 1) weigh 5 times.
     *
     * @param weights one non-negative weight per class (No Finding, Effusion)
     * @return this
     */
    public Builder classWeights(double... weights) {
      Objects.requireNonNull(weights, "weights");
      if (weights.length != 2) {
        throw new IllegalArgumentException(
            "classWeights needs 2 weights (No Finding, positive) but got " + weights.length);
      }
      LossSpec spec = new LossSpec(LossSpec.Kind.CLASS_WEIGHTS, weights.clone(), new double[0][], 0);
      spec.toLossFunction(false); // cxr-loss validates the weights and names the bad one
      this.loss = spec;
      return this;
    }

    /**
     * The article's cost-matrix cross-entropy: {@code W[true][predicted]} multiplies each sample's
     * cross-entropy. {@code costMatrix(1, 5, 5, 1)} is the article's [[1,5],[5,1]].
     *
     * @param rowMajor the 2x2 matrix, row by row
     * @return this
     */
    public Builder costMatrix(double... rowMajor) {
      Objects.requireNonNull(rowMajor, "costMatrix");
      if (rowMajor.length != 4) {
        throw new IllegalArgumentException(
            "costMatrix needs 4 values (a 2x2 matrix, row by row) but got " + rowMajor.length);
      }
      double[][] w = {{rowMajor[0], rowMajor[1]}, {rowMajor[2], rowMajor[3]}};
      LossSpec spec = new LossSpec(LossSpec.Kind.COST_MATRIX, new double[0], w, 0);
      spec.toLossFunction(false); // cxr-loss validates the matrix
      this.loss = spec;
      return this;
    }

    /**
     * Focal loss (Lin et al. 2017).
     *
     * @param gamma focusing parameter, >= 0 (2 in the paper)
     * @param alpha optional per-class weights (none, or one per class)
     * @return this
     */
    public Builder focal(double gamma, double... alpha) {
      Objects.requireNonNull(alpha, "alpha");
      if (alpha.length != 0 && alpha.length != 2) {
        throw new IllegalArgumentException("focal alpha needs 0 or 2 values but got " + alpha.length);
      }
      LossSpec spec = new LossSpec(LossSpec.Kind.FOCAL, alpha.clone(), new double[0][], gamma);
      spec.toLossFunction(false); // cxr-loss validates gamma and alpha
      this.loss = spec;
      return this;
    }

    /**
     * @param finding the positive finding (default Effusion)
     * @return this
     */
    public Builder positive(String finding) {
      this.positive = new CxrTask(finding, false, false).positive();
      return this;
    }

    /**
     * @param othersAsNegative keep images with only other findings, as negatives (default: excluded)
     * @return this
     */
    public Builder othersAsNegative(boolean othersAsNegative) {
      this.othersAsNegative = othersAsNegative;
      return this;
    }

    /**
     * @param fraction fraction of patients held out for validation, in (0, 1) (default 0.2)
     * @return this
     */
    public Builder validationFraction(double fraction) {
      if (!(fraction > 0 && fraction < 1)) {
        throw new IllegalArgumentException("validationFraction must be in (0, 1) but was " + fraction);
      }
      this.validationFraction = fraction;
      return this;
    }

    /**
     * @param seed seed of the split, weights, shuffling and augmentation (default 42)
     * @return this
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @param dir directory for {@code best.zip} and {@code last.zip} (default: none, best kept in
     *     memory)
     * @return this
     */
    public Builder checkpointDir(Path dir) {
      this.checkpointDir = dir;
      return this;
    }

    /**
     * Continue an interrupted run from {@code last.zip} in the checkpoint directory.
     *
     * @param checkpointDir the interrupted run's checkpoint directory
     * @return this
     */
    public Builder resume(Path checkpointDir) {
      this.checkpointDir = Objects.requireNonNull(checkpointDir, "checkpointDir");
      this.resume = true;
      return this;
    }

    /**
     * @param epochs stop after this many epochs without a better validation AUC; 0 never stops
     *     early (default 5)
     * @return this
     */
    public Builder patience(int epochs) {
      if (epochs < 0) {
        throw new IllegalArgumentException("patience must be >= 0 but was " + epochs);
      }
      this.patience = epochs;
      return this;
    }

    /**
     * @param workers background image-decoding threads, in [1, 64] (default: cores, at most 4)
     * @return this
     */
    public Builder workers(int workers) {
      if (workers < 1 || workers > 64) {
        throw new IllegalArgumentException("workers must be in [1, 64] but was " + workers);
      }
      this.workers = workers;
      return this;
    }

    /**
     * @param rate dropout rate before the head, in [0, 1) (default 0)
     * @return this
     */
    public Builder dropout(double rate) {
      if (!(rate >= 0 && rate < 1)) {
        throw new IllegalArgumentException("dropout must be in [0, 1) but was " + rate);
      }
      this.dropout = rate;
      return this;
    }

    /**
     * @param l2 L2 weight decay, >= 0 (default 0)
     * @return this
     */
    public Builder l2(double l2) {
      if (!(l2 >= 0) || Double.isInfinite(l2)) {
        throw new IllegalArgumentException("l2 must be >= 0 but was " + l2);
      }
      this.l2 = l2;
      return this;
    }

    /**
     * @param standardise standardise pixels with training-split statistics after min-max
     * @return this
     */
    public Builder standardise(boolean standardise) {
      this.standardise = standardise;
      return this;
    }

    /**
     * @param skipBad skip unreadable items and report them instead of failing (default false)
     * @return this
     */
    public Builder skipBad(boolean skipBad) {
      this.skipBad = skipBad;
      return this;
    }

    /**
     * @param labels labels CSV, relative to the data directory or absolute (default
     *     Data_Entry_2017.csv)
     * @return this
     */
    public Builder labels(Path labels) {
      this.labels = labels;
      return this;
    }

    /**
     * @param listener receives progress (default: {@link ConsoleProgress} on standard output)
     * @return this
     */
    public Builder listener(TrainingListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** @return the pipeline */
    public CxrPipeline build() {
      if (resume && checkpointDir == null) {
        throw new IllegalStateException("resume needs a checkpoint directory");
      }
      PipelineConfig c = new PipelineConfig(depth, preActivation, width, imageSize, batchSize,
          epochs, optimizer, learningRate, momentum, schedule, augmentation, loss, positive,
          othersAsNegative, validationFraction, seed, checkpointDir, patience, workers, dropout,
          l2, standardise, skipBad, labels);
      return new CxrPipeline(c, listener, resume);
    }

    /**
     * Builds the pipeline and trains it: {@code build().fit(dir)}.
     *
     * @param dir a data directory
     * @return the best model
     */
    public CxrModel fit(Path dir) {
      return build().fit(dir);
    }
  }
}
