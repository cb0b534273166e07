package dev.cxr.core.data;

import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.image.Normalisation;
import dev.cxr.resnet.ResNetConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The CXR data generator: a DL4J {@link DataSetIterator} over labelled chest radiographs giving
 * float32 NCHW features {@code [batch, 1, H, W]} and one-hot (or multi-hot) labels.
 *
 * <ul>
 *   <li>Reshuffled every epoch from (seed, epoch), so runs are reproducible; optionally balanced
 *       ({@link Sampler#BALANCED}: half of each epoch from each class, the minority repeated).
 *   <li>Images are decoded, resized and assembled into batches on background worker threads, a few
 *       batches ahead, so the network does not wait.
 *   <li>Decoded, resized pixels are kept in a {@link PixelCache} as 8/16-bit samples, so later
 *       epochs do not decode the PNGs again; the data set is never held as floats.
 *   <li>An {@link ImageAugmenter} hook, for training iterators only.
 * </ul>
 *
 * <p>{@link #reset()} after a pass starts the next epoch. Not for use by several consumers at once.
 *
 * <p>This class is the DL4J-facing surface; the epochs are run by {@link BatchPipeline}.
 */
public final class CxrDataSetIterator implements DataSetIterator {
  private static final long serialVersionUID = 1L;

  /**
   * The default number of background decoding threads: the machine's cores, at most 4. Its one
   * home: {@link Builder#workers(int)} starts from it and {@code PipelineConfig.DEFAULTS} reads it
   * (the {@code config} package sits above {@code data}, so the constant lives here).
   */
  public static final int DEFAULT_WORKERS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private final List<Sample> samples;
  private final int size; // width and height: images are resized to squares
  private final int batchSize;
  private final transient PixelCache cache;
  private final List<String> labelNames;
  private final transient DataReport report;
  private final transient BatchPipeline pipeline;
  private transient DataSetPreProcessor preProcessor;

  private CxrDataSetIterator(Builder b) {
    this.samples = List.copyOf(b.samples);
    this.size = b.size;
    this.batchSize = b.batchSize;
    this.cache = b.cache != null ? b.cache : PixelCache.create();
    this.labelNames = b.labelNames != null ? List.copyOf(b.labelNames) : defaultNames(b.samples);
    this.report = b.report != null ? b.report : new DataReport();
    int nOut = labelNames.size();
    BatchAssembler assembler =
        new BatchAssembler(
            samples, size, nOut, cache, report, b.augmenter, b.normalisation, b.skipBad);
    boolean[] positive = new boolean[samples.size()];
    for (int i = 0; i < positive.length; i++) {
      positive[i] = samples.get(i).positive();
    }
    this.pipeline =
        new BatchPipeline(positive, b.sampler, batchSize, b.shuffle, b.seed, assembler, b.workers);
  }

  private static List<String> defaultNames(List<Sample> samples) {
    int n = samples.isEmpty() ? 2 : samples.get(0).target().length;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("class" + i);
    }
    return names;
  }

  /**
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link CxrDataSetIterator}; every setter checks its argument. */
  public static final class Builder {
    private List<Sample> samples;
    private int size; // 0: not set; required, see imageSize
    private int batchSize = 16;
    private boolean shuffle = true;
    private long seed = 42;
    private Sampler sampler = Sampler.NATURAL;
    private ImageAugmenter augmenter;
    private PixelCache cache;
    private Normalisation normalisation = Normalisation.MIN_MAX;
    private List<String> labelNames;
    private boolean skipBad;
    private DataReport report;
    private int workers = DEFAULT_WORKERS;

    private Builder() {}

    /**
     * @param samples the samples to iterate over (required, non-empty)
     * @return this
     */
    public Builder samples(List<Sample> samples) {
      Objects.requireNonNull(samples, "samples");
      if (samples.isEmpty()) {
        throw new IllegalArgumentException("samples must not be empty");
      }
      this.samples = samples;
      return this;
    }

    /**
     * Required: the size must be the network's input size, which only the caller knows, so the
     * iterator has no default of its own to disagree with {@code PipelineConfig.DEFAULTS} (it used
     * to default to 256 beside the pipeline's 128).
     *
     * @param size square image size in pixels
     * @return this
     */
    public Builder imageSize(int size) {
      // below the networks' smallest input only for tests of the iterator itself; the same
      // largest size as the networks
      if (size < 8 || size > ResNetConfig.MAX_INPUT_SIZE) {
        throw new IllegalArgumentException(
            "imageSize must be in [8, " + ResNetConfig.MAX_INPUT_SIZE + "] but was " + size);
      }
      this.size = size;
      return this;
    }

    /**
     * @param batchSize images per batch (default 16)
     * @return this
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1 but was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * @param shuffle reshuffle every epoch (default true; use false for evaluation)
     * @return this
     */
    public Builder shuffle(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /**
     * @param sampler how an epoch draws its samples (default {@link Sampler#NATURAL}; {@link
     *     Sampler#BALANCED} draws half of each epoch from each class, needing both)
     * @return this
     */
    public Builder sampler(Sampler sampler) {
      this.sampler = Objects.requireNonNull(sampler, "sampler");
      return this;
    }

    /**
     * @param seed seed of shuffling and augmentation (default 42)
     * @return this
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * @param augmenter augmentation for training batches; null for none (default)
     * @return this
     */
    public Builder augmenter(ImageAugmenter augmenter) {
      this.augmenter = augmenter;
      return this;
    }

    /**
     * @param cache pixel cache to share between iterators (default: a new one)
     * @return this
     */
    public Builder cache(PixelCache cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
      return this;
    }

    /**
     * @param normalisation normalisation after per-image min-max (default min-max only)
     * @return this
     */
    public Builder normalisation(Normalisation normalisation) {
      this.normalisation = Objects.requireNonNull(normalisation, "normalisation");
      return this;
    }

    /**
     * @param labelNames output names, in target order
     * @return this
     */
    public Builder labelNames(List<String> labelNames) {
      this.labelNames = Objects.requireNonNull(labelNames, "labelNames");
      return this;
    }

    /**
     * @param skipBad skip unreadable images (recorded in the report) instead of failing
     * @return this
     */
    public Builder skipBad(boolean skipBad) {
      this.skipBad = skipBad;
      return this;
    }

    /**
     * @param report where skipped images are recorded
     * @return this
     */
    public Builder report(DataReport report) {
      this.report = Objects.requireNonNull(report, "report");
      return this;
    }

    /**
     * @param workers background decoding threads (default {@link
     *     CxrDataSetIterator#DEFAULT_WORKERS})
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
     * @return the iterator, positioned at the start of epoch 0
     * @throws IllegalStateException when no samples or no image size were given
     */
    public CxrDataSetIterator build() {
      if (samples == null) {
        throw new IllegalStateException("samples(...) must be set before build()");
      }
      if (size == 0) {
        throw new IllegalStateException(
            "imageSize(...) must be set before build(): the network's input size");
      }
      int n = samples.get(0).target().length;
      if (labelNames != null && labelNames.size() != n) {
        throw new IllegalArgumentException(
            "labelNames has " + labelNames.size() + " names but targets have " + n + " entries");
      }
      return new CxrDataSetIterator(this);
    }
  }

  @Override
  public boolean hasNext() {
    return pipeline.hasNext();
  }

  @Override
  public DataSet next() {
    if (!hasNext()) {
      throw new NoSuchElementException("epoch " + epoch() + " is exhausted; call reset()");
    }
    DataSet ds = pipeline.next();
    if (preProcessor != null) {
      preProcessor.preProcess(ds);
    }
    return ds;
  }

  @Override
  public DataSet next(int num) {
    throw new UnsupportedOperationException(
        "this iterator has a fixed batch size of " + batchSize + "; call next()");
  }

  @Override
  public int inputColumns() {
    return size * size;
  }

  @Override
  public int totalOutcomes() {
    return labelNames.size();
  }

  @Override
  public boolean resetSupported() {
    return true;
  }

  @Override
  public boolean asyncSupported() {
    return false; // batches are already prepared ahead on our own worker threads
  }

  /** Starts the next epoch (or restarts the current one if nothing was consumed yet). */
  @Override
  public void reset() {
    pipeline.reset();
  }

  /**
   * Positions the iterator at the start of a given epoch (for resuming a run).
   *
   * @param e epoch, 0-based
   */
  public void setEpoch(int e) {
    if (e < 0) {
      throw new IllegalArgumentException("epoch must be >= 0 but was " + e);
    }
    pipeline.start(e);
  }

  /**
   * @return the current epoch, 0-based
   */
  public int epoch() {
    return pipeline.epoch();
  }

  /**
   * @return number of samples
   */
  public int numExamples() {
    return samples.size();
  }

  /**
   * @return the samples, in data set order
   */
  public List<Sample> samples() {
    return samples;
  }

  /**
   * @return the report of skipped images
   */
  public DataReport report() {
    return report;
  }

  /**
   * @return the pixel cache
   */
  public PixelCache cache() {
    return cache;
  }

  @Override
  public int batch() {
    return batchSize;
  }

  @Override
  public void setPreProcessor(DataSetPreProcessor preProcessor) {
    this.preProcessor = preProcessor;
  }

  @Override
  public DataSetPreProcessor getPreProcessor() {
    return preProcessor;
  }

  @Override
  public List<String> getLabels() {
    return labelNames;
  }

  /** Stops the worker threads (they are daemons, so this is optional). */
  public void shutdown() {
    pipeline.shutdown();
  }
}
