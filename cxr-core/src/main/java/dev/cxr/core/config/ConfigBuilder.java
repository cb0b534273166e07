package dev.cxr.core.config;

import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.Sampler;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The setters of every {@link PipelineConfig} field, shared by {@link PipelineConfig.Builder} and
 * {@code CxrPipeline.Builder}: the data and run fields here, the network, optimiser, loss and
 * augmentation fields in {@link NetworkSettingsBuilder} (which also explains conflicting calls).
 * Each setter checks its argument at once with the limits of {@link Limits}; {@link #config()}
 * never changes the builder, so a builder can be reused. Starting values are {@link
 * PipelineConfig#DEFAULTS} (or a saved configuration, {@link #from(PipelineConfig)}).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ConfigBuilder<B extends ConfigBuilder<B>> extends NetworkSettingsBuilder<B> {
  private String positive;
  private boolean othersAsNegative;
  private double validationFraction;
  private long seed;
  private Path checkpointDir;
  private int patience;
  private int workers;
  private boolean standardise;
  private boolean skipBad;
  private Path labels;
  private Sampler sampler;
  private Selection selectOn;
  private double emaDecay;
  private List<String> findings;
  private Pretrained pretrained;
  private int freezeEpochs;
  private double backboneLrScale = 1.0;

  /** For subclasses: starts from {@link PipelineConfig#DEFAULTS}. */
  protected ConfigBuilder() {
    from(PipelineConfig.DEFAULTS);
  }

  /**
   * Starts from a whole configuration, e.g. one read back from a saved model; later calls change
   * single fields.
   *
   * @param c the configuration
   * @return this
   */
  public final B from(PipelineConfig c) {
    Objects.requireNonNull(c, "config");
    depth = c.depth();
    preActivation = c.preActivation();
    width = c.width();
    imageSize = c.imageSize();
    batchSize = c.batchSize();
    epochs = c.epochs();
    optimizer = c.optimizer();
    learningRate = c.learningRate();
    momentum = c.momentum();
    schedule = c.schedule();
    augmentation = c.augmentation();
    loss = c.loss();
    positive = c.positive();
    othersAsNegative = c.othersAsNegative();
    validationFraction = c.validationFraction();
    seed = c.seed();
    checkpointDir = c.checkpointDir();
    patience = c.patience();
    workers = c.workers();
    dropout = c.dropout();
    l2 = c.l2();
    standardise = c.standardise();
    skipBad = c.skipBad();
    labels = c.labels();
    sampler = c.sampler();
    selectOn = c.selectOn();
    emaDecay = c.emaDecay();
    findings = c.findings();
    architecture = c.architecture();
    pretrained = c.pretrained();
    if (pretrained != null) {
      freezeEpochs = pretrained.freezeEpochs();
      backboneLrScale = pretrained.backboneLrScale();
    }
    clearClaims();
    return self();
  }

  /**
   * The configuration of the values set so far.
   *
   * @return a new, checked configuration
   */
  protected final PipelineConfig config() {
    if (pretrained == null && (freezeEpochs > 0 || backboneLrScale != 1.0)) {
      throw new IllegalStateException(
          "freezeEpochs and backboneLrScale are for fine-tuning: call pretrained(...) too");
    }
    return new PipelineConfig(
        depth,
        preActivation,
        width,
        imageSize,
        batchSize,
        epochs,
        optimizer,
        learningRate,
        momentum,
        schedule,
        augmentation,
        loss,
        positive,
        othersAsNegative,
        validationFraction,
        seed,
        checkpointDir,
        patience,
        workers,
        dropout,
        l2,
        standardise,
        skipBad,
        labels,
        sampler,
        selectOn,
        emaDecay,
        findings,
        architecture,
        pretrained == null ? null : pretrained.withSchedule(freezeEpochs, backboneLrScale));
  }

  /**
   * Starts from pretrained weights whose network the caller has inspected ({@code
   * PretrainedWeights.inspect}): sets the network fields to the file's and records the file. {@code
   * CxrPipeline.Builder.pretrained(Path)} is the public way in (it reads the file).
   *
   * @param source the file, its hash and kind (its schedule is replaced by this builder's)
   * @param architecture the file's network family
   * @param depth the file's depth
   * @param width the file's base width (ResNets)
   * @param preActivation the file's layout (ResNets)
   * @return this
   */
  public final B pretrainedNetwork(
      Pretrained source, Architecture architecture, int depth, int width, boolean preActivation) {
    claim("the network", "pretrained(...)");
    this.pretrained = Objects.requireNonNull(source, "pretrained");
    this.architecture = architecture;
    this.depth = architecture.checkDepth(depth);
    this.width = width;
    this.preActivation = preActivation;
    return self();
  }

  /**
   * Epochs at the start of fine-tuning in which only the new head trains (the backbone's learning
   * rate is 0; its batch-norm statistics still follow the new data). Needs {@code pretrained}.
   *
   * @param epochs in [0, {@value Pretrained#MAX_FREEZE_EPOCHS}] (default 0)
   * @return this
   */
  public B freezeEpochs(int epochs) {
    Limits.inRange("freezeEpochs", epochs, 0, Pretrained.MAX_FREEZE_EPOCHS);
    this.freezeEpochs = epochs;
    return self();
  }

  /**
   * The backbone's learning rate as a fraction of the head's when fine-tuning. Needs {@code
   * pretrained}.
   *
   * @param scale in (0, 1] (default 1)
   * @return this
   */
  public B backboneLrScale(double scale) {
    if (!(scale > 0 && scale <= 1)) {
      throw new IllegalArgumentException("backboneLrScale must be in (0, 1] but was " + scale);
    }
    this.backboneLrScale = scale;
    return self();
  }

  /**
   * Keeps an exponential moving average of the weights beside the raw ones, updated after every
   * batch; each epoch's validation scores the average, and the kept model is the average of the
   * chosen epoch. It damps the epoch-to-epoch jumps of small-data training. For the first {@code 1
   * / (1 - decay)} batches it is the plain mean of the weights so far (decay {@code (t - 1) / t}
   * after batch {@code t}), so the random initial weights never enter.
   *
   * @param decay in [0, 1); 0 turns it off (default 0.97); 0.9-0.99 are usual, higher for more
   *     batches per epoch
   * @return this
   * @throws IllegalArgumentException naming {@code emaDecay} when out of range
   */
  public B ema(double decay) {
    Limits.halfOpen("emaDecay", decay, 0, 1);
    this.emaDecay = decay;
    return self();
  }

  /**
   * @param finding the positive finding (default Effusion), matched ignoring case and spaces
   * @return this
   */
  public B positive(String finding) {
    String canonical = CxrTask.binary(finding).positive();
    this.positive = canonical;
    this.findings = List.of();
    return self();
  }

  /**
   * The findings the model predicts. One finding is the binary task ({@link #positive(String)}: a
   * softmax against No Finding); two or more make a multi-label task: one sigmoid output per
   * finding, every image taking part, trained with binary cross-entropy whose positive weight per
   * finding is, unless given ({@code posWeights}), negatives/positives of the training split.
   *
   * @param names NIH finding names, matched ignoring case, spaces and underscores
   * @return this
   * @throws IllegalArgumentException naming an unknown or repeated finding
   */
  public B findings(String... names) {
    Objects.requireNonNull(names, "findings");
    if (names.length == 0) {
      throw new IllegalArgumentException("findings must name at least one finding");
    }
    if (names.length == 1) {
      return positive(names[0]);
    }
    this.findings = CxrTask.multiLabel(Arrays.asList(names)).findings();
    return self();
  }

  /**
   * All 14 NIH ChestX-ray14 findings, multi-label ({@link #findings(String...)}).
   *
   * @return this
   */
  public B allFindings() {
    this.findings = CxrTask.allFindings().findings();
    return self();
  }

  /**
   * @param othersAsNegative keep images with only other findings, as negatives (default: excluded)
   * @return this
   */
  public B othersAsNegative(boolean othersAsNegative) {
    this.othersAsNegative = othersAsNegative;
    return self();
  }

  /**
   * @param fraction fraction of patients held out for validation, in (0, 1) (default 0.2)
   * @return this
   */
  public B validationFraction(double fraction) {
    Limits.validationFraction(fraction);
    this.validationFraction = fraction;
    return self();
  }

  /**
   * @param seed seed of the split, weights, shuffling and augmentation (default 42)
   * @return this
   */
  public B seed(long seed) {
    this.seed = seed;
    return self();
  }

  /**
   * @param dir directory for {@code best.zip} and {@code last.zip} (default: none, best kept in
   *     memory); conflicts with {@code resume(...)}, which names the directory itself
   * @return this
   */
  public B checkpointDir(Path dir) {
    claim("the checkpoint directory", "checkpointDir(...)");
    return setCheckpointDir(dir);
  }

  /**
   * Sets the checkpoint directory without claiming it (for subclasses whose own call claims it).
   *
   * @param dir the directory, or null
   * @return this
   */
  protected final B setCheckpointDir(Path dir) {
    this.checkpointDir = dir;
    return self();
  }

  /**
   * @param epochs stop after this many epochs without a better validation AUC; 0 never stops early
   *     (default 5)
   * @return this
   */
  public B patience(int epochs) {
    Limits.nonNegative("patience", epochs);
    this.patience = epochs;
    return self();
  }

  /**
   * @param workers background image-decoding threads, in [1, {@value Limits#MAX_WORKERS}] (default:
   *     cores, at most 4)
   * @return this
   */
  public B workers(int workers) {
    Limits.inRange("workers", workers, 1, Limits.MAX_WORKERS);
    this.workers = workers;
    return self();
  }

  /**
   * @param standardise standardise pixels with training-split statistics after min-max
   * @return this
   */
  public B standardise(boolean standardise) {
    this.standardise = standardise;
    return self();
  }

  /**
   * @param skipBad skip unreadable items and report them instead of failing (default false)
   * @return this
   */
  public B skipBad(boolean skipBad) {
    this.skipBad = skipBad;
    return self();
  }

  /**
   * @param labels labels CSV, relative to the data directory or absolute (default
   *     Data_Entry_2017.csv)
   * @return this
   */
  public B labels(Path labels) {
    this.labels = labels;
    return self();
  }

  /**
   * @param sampler how an epoch draws its images (default {@link Sampler#NATURAL}; {@link
   *     Sampler#BALANCED} oversamples the minority class)
   * @return this
   */
  public B sampler(Sampler sampler) {
    this.sampler = Objects.requireNonNull(sampler, "sampler");
    return self();
  }

  /**
   * @param selectOn which data chooses the kept epoch (default {@link Selection#AUTO}: an inner
   *     split of the training patients in cross-validation, the validation split in a plain run)
   * @return this
   */
  public B selectOn(Selection selectOn) {
    this.selectOn = Objects.requireNonNull(selectOn, "selectOn");
    return self();
  }
}
