package dev.cxr.core.data;

import dev.cxr.core.CxrDataException;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.image.PixelCache;
import dev.cxr.core.image.ResizedImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CXR data generator: a DL4J {@link DataSetIterator} over labelled chest radiographs giving
 * float32 NCHW features {@code [batch, 1, H, W]} and one-hot (or multi-hot) labels.
 *
 * <ul>
 *   <li>Reshuffled every epoch from (seed, epoch), so runs are reproducible.
 *   <li>Images are decoded, resized and assembled into batches on background worker threads, a few
 *       batches ahead, so the network does not wait.
 *   <li>Decoded, resized pixels are kept in a {@link PixelCache} as 8/16-bit samples, so later
 *       epochs do not decode the PNGs again; the data set is never held as floats.
 *   <li>An {@link ImageAugmenter} hook, for training iterators only.
 * </ul>
 *
 * <p>{@link #reset()} after a pass starts the next epoch. Not for use by several consumers at once.
 */
public final class CxrDataSetIterator implements DataSetIterator {
  private static final long serialVersionUID = 1L;

  private final List<Sample> samples;
  private final int width;
  private final int height;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final transient ImageAugmenter augmenter;
  private final transient PixelCache cache;
  private final Normalisation normalisation;
  private final List<String> labelNames;
  private final boolean skipBad;
  private final transient DataReport report;
  private final int prefetch;
  private final transient ExecutorService pool;

  private transient DataSetPreProcessor preProcessor;
  private int epoch;
  private int[] order;
  private int nextBatchToSubmit;
  private int batchesReturned;
  private final transient Deque<Future<DataSet>> pending = new ArrayDeque<>();

  private CxrDataSetIterator(Builder b) {
    this.samples = List.copyOf(b.samples);
    this.width = b.size;
    this.height = b.size;
    this.batchSize = b.batchSize;
    this.shuffle = b.shuffle;
    this.seed = b.seed;
    this.augmenter = b.augmenter;
    this.cache = b.cache != null ? b.cache : PixelCache.create();
    this.normalisation = b.normalisation;
    this.labelNames = b.labelNames != null ? List.copyOf(b.labelNames) : defaultNames(b.samples);
    this.skipBad = b.skipBad;
    this.report = b.report != null ? b.report : new DataReport();
    int workers = b.workers;
    this.prefetch = Math.max(2, 2 * workers);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "cxr-loader-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    startEpoch(0);
  }

  private static List<String> defaultNames(List<Sample> samples) {
    int n = samples.isEmpty() ? 2 : samples.get(0).target().length;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("class" + i);
    }
    return names;
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link CxrDataSetIterator}; every setter checks its argument. */
  public static final class Builder {
    private List<Sample> samples;
    private int size = 256;
    private int batchSize = 16;
    private boolean shuffle = true;
    private long seed = 42;
    private ImageAugmenter augmenter;
    private PixelCache cache;
    private Normalisation normalisation = Normalisation.MIN_MAX;
    private List<String> labelNames;
    private boolean skipBad;
    private DataReport report;
    private int workers = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

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
     * @param size square image size in pixels (default 256)
     * @return this
     */
    public Builder imageSize(int size) {
      if (size < 8 || size > 4096) {
        throw new IllegalArgumentException("imageSize must be in [8, 4096] but was " + size);
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
     * @param workers background decoding threads (default: cores, at most 4)
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
     * @throws IllegalStateException when no samples were given
     */
    public CxrDataSetIterator build() {
      if (samples == null) {
        throw new IllegalStateException("samples(...) must be set before build()");
      }
      int n = samples.get(0).target().length;
      if (labelNames != null && labelNames.size() != n) {
        throw new IllegalArgumentException(
            "labelNames has " + labelNames.size() + " names but targets have " + n + " entries");
      }
      return new CxrDataSetIterator(this);
    }
  }

  private void startEpoch(int e) {
    cancelPending();
    this.epoch = e;
    int n = samples.size();
    order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom rnd = new SplittableRandom(mix(seed, e));
      for (int i = n - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    nextBatchToSubmit = 0;
    batchesReturned = 0;
  }

  private static long mix(long seed, long epoch) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private int batchCount() {
    return (samples.size() + batchSize - 1) / batchSize;
  }

  private void fill() {
    while (pending.size() < prefetch && nextBatchToSubmit < batchCount()) {
      int from = nextBatchToSubmit * batchSize;
      int to = Math.min(samples.size(), from + batchSize);
      int[] idx = java.util.Arrays.copyOfRange(order, from, to);
      int e = epoch;
      pending.add(pool.submit(() -> assemble(idx, e)));
      nextBatchToSubmit++;
    }
  }

  private DataSet assemble(int[] idx, int e) {
    int px = width * height;
    int nOut = labelNames.size();
    float[] features = new float[idx.length * px];
    float[] labels = new float[idx.length * nOut];
    int k = 0;
    for (int i : idx) {
      Sample s = samples.get(i);
      ResizedImage img;
      try {
        img = cache.get(s.path(), width, height);
      } catch (CxrDataException ex) {
        if (!skipBad) {
          throw ex;
        }
        report.add("unreadable image", ex.getMessage());
        continue;
      }
      int off = k * px;
      img.minMaxNormalised(features, off);
      if (augmenter != null) {
        float[] one = java.util.Arrays.copyOfRange(features, off, off + px);
        float[] aug = augmenter.apply(one, width, height, e, s.id());
        if (aug.length != px) {
          throw new IllegalStateException(
              "augmenter returned " + aug.length + " pixels, expected " + px);
        }
        System.arraycopy(aug, 0, features, off, px);
      }
      normalisation.applyInPlace(features, off, px);
      System.arraycopy(s.target(), 0, labels, k * nOut, nOut);
      k++;
    }
    if (k == 0) {
      throw new CxrDataException(null, "every image of a batch was unreadable");
    }
    if (k < idx.length) {
      features = java.util.Arrays.copyOf(features, k * px);
      labels = java.util.Arrays.copyOf(labels, k * nOut);
    }
    INDArray f = Nd4j.create(features, new long[] {k, 1, height, width}, DataType.FLOAT);
    INDArray l = Nd4j.create(labels, new long[] {k, nOut}, DataType.FLOAT);
    return new DataSet(f, l);
  }

  @Override
  public boolean hasNext() {
    return batchesReturned < batchCount();
  }

  @Override
  public DataSet next() {
    if (!hasNext()) {
      throw new NoSuchElementException("epoch " + epoch + " is exhausted; call reset()");
    }
    fill();
    Future<DataSet> f = pending.poll();
    DataSet ds;
    try {
      ds = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading a batch", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("loading a batch failed", e.getCause());
    }
    batchesReturned++;
    fill();
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
    return width * height;
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
    startEpoch(batchesReturned > 0 || nextBatchToSubmit > 0 ? epoch + 1 : epoch);
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
    startEpoch(e);
  }

  /** @return the current epoch, 0-based */
  public int epoch() {
    return epoch;
  }

  /** @return number of samples */
  public int numExamples() {
    return samples.size();
  }

  /** @return the samples, in data set order */
  public List<Sample> samples() {
    return samples;
  }

  /** @return the report of skipped images */
  public DataReport report() {
    return report;
  }

  /** @return the pixel cache */
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

  private void cancelPending() {
    for (Future<DataSet> f : pending) {
      f.cancel(false);
    }
    pending.clear();
  }

  /** Stops the worker threads (they are daemons, so this is optional). */
  public void shutdown() {
    cancelPending();
    pool.shutdownNow();
  }
}
