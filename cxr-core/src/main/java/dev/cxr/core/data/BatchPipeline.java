package dev.cxr.core.data;

import java.util.Arrays;
import java.util.NoSuchElementException;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The epoch bookkeeping of {@link CxrDataSetIterator}: which epoch is running, the order it visits
 * the samples in, how many batches were handed to the workers and how many were returned. Batches
 * are submitted strictly in epoch order and returned in the same order, so the output does not
 * depend on how many workers there are or how fast they run. A batch dropped by the assembler
 * (null: every image of it unreadable, with skipBad) is passed over.
 */
final class BatchPipeline {
  private final int size;
  private final int batchSize;
  private final boolean shuffle;
  private final boolean[] positive;
  private final Sampler sampler;
  private final long seed;
  private final BatchAssembler assembler;
  private final BatchPrefetcher loader;

  private int epoch;
  private int[] order;
  private int nextBatchToSubmit;
  private int batchesReturned; // taken from the workers, including dropped and failed ones
  private DataSet ready; // taken, not yet returned by next()
  private RuntimeException failure; // a batch's failure, not yet thrown by next()
  private int delivered; // calls of next() in this epoch

  /**
   * Creates the pipeline, positioned at the start of epoch 0.
   *
   * @param positive whether each sample is positive (its length is the number of samples)
   * @param sampler how an epoch draws its samples
   * @param batchSize samples per batch (the last batch may be smaller)
   * @param shuffle whether each epoch visits the samples in a shuffled order
   * @param seed seed of the shuffles
   * @param assembler builds a batch from sample indices
   * @param workers number of background threads
   */
  BatchPipeline(
      boolean[] positive,
      Sampler sampler,
      int batchSize,
      boolean shuffle,
      long seed,
      BatchAssembler assembler,
      int workers) {
    this.size = positive.length;
    this.positive = positive.clone();
    this.sampler = sampler;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.assembler = assembler;
    this.loader = new BatchPrefetcher(workers);
    start(0);
  }

  /**
   * Drops the batches in flight and positions the pipeline at the start of an epoch.
   *
   * @param e the epoch, 0-based
   */
  void start(int e) {
    loader.cancelPending();
    this.epoch = e;
    order = EpochOrder.of(positive, sampler, shuffle, seed, e);
    nextBatchToSubmit = 0;
    batchesReturned = 0;
    ready = null;
    failure = null;
    delivered = 0;
  }

  /** Starts the next epoch, or restarts the current one if nothing of it was consumed yet. */
  void reset() {
    start(delivered > 0 ? epoch + 1 : epoch);
  }

  /** The current epoch, 0-based. */
  int epoch() {
    return epoch;
  }

  private int batchCount() {
    return (size + batchSize - 1) / batchSize;
  }

  /**
   * Whether the current epoch has batches left. A batch the assembler dropped (every image of it
   * unreadable, with skipBad) is not one: when the next batch is not known to be non-empty this
   * waits for it, so that {@code hasNext()} and {@link #next()} always agree.
   */
  boolean hasNext() {
    while (ready == null && failure == null && batchesReturned < batchCount()) {
      fill();
      try {
        ready = loader.take();
      } catch (RuntimeException e) {
        failure = e; // thrown by next(), where the caller expects a failing batch to surface
      }
      batchesReturned++;
      fill();
    }
    return ready != null || failure != null;
  }

  /**
   * The next batch of the epoch; the caller checks {@link #hasNext()} first. Tops up the batches in
   * flight before waiting, so the workers keep busy while this one is consumed.
   *
   * @return the batch
   * @throws java.util.NoSuchElementException when the epoch has no batch left
   */
  DataSet next() {
    if (!hasNext()) {
      throw new NoSuchElementException("epoch " + epoch + " is exhausted; call reset()");
    }
    RuntimeException e = failure;
    DataSet ds = ready;
    failure = null;
    ready = null;
    delivered++;
    if (e != null) {
      throw e;
    }
    return ds;
  }

  /** Tops up the batches in flight, in epoch order, up to the prefetch bound. */
  private void fill() {
    while (loader.hasRoom() && nextBatchToSubmit < batchCount()) {
      int from = nextBatchToSubmit * batchSize;
      int to = Math.min(size, from + batchSize);
      int[] idx = Arrays.copyOfRange(order, from, to);
      int e = epoch;
      loader.submit(() -> assembler.assemble(idx, e));
      nextBatchToSubmit++;
    }
  }

  /** Cancels the batches in flight and stops the worker threads. */
  void shutdown() {
    loader.shutdown();
  }
}
