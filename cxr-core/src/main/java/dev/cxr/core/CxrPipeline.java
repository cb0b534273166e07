package dev.cxr.core;

import dev.cxr.core.config.ConfigBuilder;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Pretrained;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.pretrained.PretrainedWeights;
import dev.cxr.core.training.ConsoleProgress;
import dev.cxr.core.training.CrossValidation;
import dev.cxr.core.training.CrossValidator;
import dev.cxr.core.training.LrFinder;
import dev.cxr.core.training.TrainingData;
import dev.cxr.core.training.TrainingListener;
import dev.cxr.core.training.TrainingRun;
import dev.cxr.resnet.compat.OneDnnHelpers;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The fluent builder that composes everything: data discovery and patient-level split (cxr-core),
 * medical-safe augmentation (cxr-augment), a ResNet (cxr-resnet) and a weighted loss (cxr-loss); it
 * trains, validates every epoch (exact AUC with a 95% DeLong CI), keeps the best-AUC checkpoint,
 * stops early and returns the best model.
 *
 * <pre>{@code
 * CxrModel model = CxrPipeline.builder().resnet(18).classWeights(1, 5).fit(dir);
 * }</pre>
 *
 * <p>Method of the article "Detecting anomalies in X-ray using CNN": NIH ChestX-ray14 data,
 * Effusion vs No Finding, min-max normalisation, ResNet, weighted cross-entropy, checkpoint on the
 * best validation AUC.
 *
 * <p>This class is a facade: settings live in {@link PipelineConfig}, the run in {@link
 * TrainingRun}, cross-validation in {@link CrossValidator}, the range test in {@link LrFinder}.
 * Before any network is built it switches on DL4J's oneDNN layer helpers, once per JVM ({@link
 * OneDnnHelpers#ensureEnabled()}: about 5x faster convolutions on CPU, a JVM-wide change described
 * there).
 */
public final class CxrPipeline {
  private final PipelineConfig config;
  private final TrainingListener listener;
  private final boolean resume;
  private final DataReport report;
  private final Path cacheDir;

  private CxrPipeline(
      PipelineConfig config,
      TrainingListener listener,
      boolean resume,
      DataReport report,
      Path cacheDir) {
    this.config = config;
    this.listener = listener;
    this.resume = resume;
    this.report = report;
    this.cacheDir = cacheDir;
  }

  /**
   * A builder with the defaults of {@link PipelineConfig#DEFAULTS}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from a whole configuration, e.g. a saved model's: {@code
   * CxrPipeline.builder(CxrModel.load(f).info().config()).fit(dir)} trains the same model again.
   *
   * @param config the configuration
   * @return a new builder
   */
  public static Builder builder(PipelineConfig config) {
    return new Builder().from(config);
  }

  /**
   * @return the configuration
   */
  public PipelineConfig config() {
    return config;
  }

  /**
   * Trains on a data directory and returns the best model (highest validation AUC).
   *
   * @param dir a data directory (NIH layout or class folders)
   * @return the best model
   * @throws dev.cxr.core.io.CxrDataException for unusable data
   */
  public CxrModel fit(Path dir) {
    return fit(List.of(Objects.requireNonNull(dir, "dir")));
  }

  /**
   * Trains on several data directories read as one data set (each in either layout, one patient
   * namespace: a patient id in two folders is one patient) and returns the best model.
   *
   * @param dirs the data directories, at least one
   * @return the best model
   * @throws dev.cxr.core.io.CxrDataException for unusable data, or an image in two directories
   */
  public CxrModel fit(List<Path> dirs) {
    OneDnnHelpers.ensureEnabled();
    TrainingData data = TrainingData.read(config, dirs, report);
    var trained =
        new TrainingRun(config, listener, cacheDir)
            .train(data, data.split(config), config.checkpointDir(), resume);
    return new CxrModel(trained.network(), trained.info());
  }

  /**
   * Patient-level k-fold cross-validation: one model per fold, each validated on its held-out
   * patients. The honest figure on a small data set.
   *
   * @param dir a data directory
   * @param folds number of folds, at least 2
   * @return per fold the nested, last-epoch and optimistic AUCs, and the out-of-fold scores
   */
  public CrossValidation crossValidate(Path dir, int folds) {
    return crossValidate(List.of(Objects.requireNonNull(dir, "dir")), folds, null);
  }

  /**
   * Cross-validates and keeps the fold models: {@code fold-i.zip} and {@code ensemble.zip} (the
   * mean of their probabilities, loaded by {@link CxrModel#load} like any model) in {@code outDir}.
   *
   * @param dirs one or more data directories, read as one data set
   * @param folds number of folds, at least 2
   * @param outDir where the fold models, the ensemble and {@code folds.csv} (which fold holds each
   *     image out) go, or null to keep none
   * @return per fold the nested, last-epoch and optimistic AUCs, and the out-of-fold scores
   */
  public CrossValidation crossValidate(List<Path> dirs, int folds, Path outDir) {
    OneDnnHelpers.ensureEnabled();
    return CrossValidator.run(config, listener, dirs, folds, outDir, report, cacheDir);
  }

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
    return findLearningRate(List.of(dir), minRate, maxRate, steps);
  }

  /**
   * The learning-rate range test on several data directories read as one data set.
   *
   * @param dirs the data directories
   * @param minRate first learning rate
   * @param maxRate last learning rate
   * @param steps number of batches
   * @return the curve and a suggested rate
   */
  public LrFinder.Result findLearningRate(
      List<Path> dirs, double minRate, double maxRate, int steps) {
    OneDnnHelpers.ensureEnabled();
    return LrFinder.run(config, dirs, minRate, maxRate, steps, listener, report, cacheDir);
  }

  /**
   * Builder of {@link CxrPipeline}: every setting of {@link ConfigBuilder}, plus where progress
   * goes and whether to resume. Every setter checks its argument at once; {@link #build()} never
   * changes the builder, so it can be reused.
   */
  public static final class Builder extends ConfigBuilder<Builder> {
    private TrainingListener listener = ConsoleProgress.standardOutput();
    private boolean resume;
    private DataReport report;
    private Path cacheDir;

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * Continue an interrupted run from {@code last.zip} in its checkpoint directory. Conflicts with
     * {@link #checkpointDir(Path)}: the directory to resume is the one to write.
     *
     * @param checkpointDir the interrupted run's checkpoint directory
     * @return this
     */
    public Builder resume(Path checkpointDir) {
      Objects.requireNonNull(checkpointDir, "checkpointDir");
      claim("the checkpoint directory", "resume(...)");
      this.resume = true;
      return setCheckpointDir(checkpointDir);
    }

    /**
     * Fine-tunes from pretrained weights: a torchvision ResNet or DenseNet, a torchxrayvision model
     * (PyTorch zip or legacy {@code .pt}/{@code .pth}, or {@code .safetensors}), or a cxr model
     * file. The network becomes the file's (its family, depth and width); its backbone's weights
     * are copied in and a new head for this task's findings starts from random weights. The file is
     * read now (to know its network and hash) and again when training starts. See {@link
     * #freezeEpochs(int)} and {@link #backboneLrScale(double)}.
     *
     * @param file the weight file
     * @return this
     * @throws dev.cxr.core.io.CxrDataException naming the file when it is unreadable, refused or
     *     not a supported network
     */
    public Builder pretrained(Path file) {
      return pretrained(file, null);
    }

    /**
     * {@link #pretrained(Path)} with the file's kind named instead of told from its contents (e.g.
     * a torchxrayvision file that carries neither its pathologies nor its thresholds).
     *
     * @param file the weight file
     * @param source what made it, or null to tell it from the file
     * @return this
     */
    public Builder pretrained(Path file, Pretrained.Source source) {
      PretrainedWeights.Inspection i = PretrainedWeights.inspect(file, source);
      return pretrainedNetwork(
          i.pretrained(), i.architecture(), i.depth(), i.width(), i.preActivation());
    }

    /**
     * @param listener receives progress (default: {@link ConsoleProgress} on standard output)
     * @return this
     */
    public Builder listener(TrainingListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Where each run records what it skipped with {@code skipBad} (bad rows, missing and unreadable
     * images), for {@link dev.cxr.core.data.SkipReport#line}; by default a new report per pipeline
     * that no one reads.
     *
     * @param report the report to add to
     * @return this
     */
    public Builder report(DataReport report) {
      this.report = Objects.requireNonNull(report, "report");
      return this;
    }

    /**
     * Keeps decoded, resized pixels in a persistent cache file in {@code dir} (one file per data
     * fingerprint and image size, see {@link dev.cxr.core.cache.DiskPixelCache}): the first run
     * decodes every image once into it, later runs, folds and the learning-rate finder on the same
     * data read it and decode nothing. Where pixels are cached does not change what is trained, so
     * it is not part of the configuration stored with a model.
     *
     * @param dir the cache directory (created if missing)
     * @return this
     */
    public Builder cache(Path dir) {
      this.cacheDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * @return the pipeline
     */
    public CxrPipeline build() {
      return new CxrPipeline(
          config(), listener, resume, report != null ? report : new DataReport(), cacheDir);
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

    /**
     * Builds the pipeline and trains it on several data directories read as one data set: {@code
     * build().fit(List.of(a, b))}.
     *
     * @param dirs the data directories, at least one
     * @return the best model
     */
    public CxrModel fit(Path... dirs) {
      Objects.requireNonNull(dirs, "dirs");
      return build().fit(List.of(dirs));
    }
  }
}
