package dev.cxr.core.data;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A bounded queue of batches being prepared on background threads, consumed in submission order.
 * Keeping a few batches in flight lets decoding overlap with training, while the bound keeps memory
 * use at a few batches whatever the data set size.
 *
 * <p>Used by one consumer thread at a time; only the workers run concurrently.
 */
final class BatchPrefetcher {
  private final int prefetch;
  private final ExecutorService pool;
  private final Deque<Future<DataSet>> pending = new ArrayDeque<>();

  /**
   * Starts the worker threads.
   *
   * @param workers number of daemon threads, named {@code cxr-loader-N}; at least {@code max(2, 2 *
   *     workers)} batches are kept in flight
   */
  BatchPrefetcher(int workers) {
    this.prefetch = Math.max(2, 2 * workers);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "cxr-loader-" + n.incrementAndGet());
              // Daemons, so an iterator that is never shut down does not keep the JVM alive.
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Whether another batch may be submitted without exceeding the prefetch bound.
   *
   * @return true while fewer than the bound are in flight
   */
  boolean hasRoom() {
    return pending.size() < prefetch;
  }

  /**
   * Queues a batch for preparation on a worker thread.
   *
   * @param batch the work that assembles the batch
   */
  void submit(Callable<DataSet> batch) {
    pending.add(pool.submit(batch));
  }

  /**
   * Waits for the oldest batch in flight and removes it from the queue.
   *
   * @return the batch, or null when the assembler dropped it
   * @throws RuntimeException what the batch's preparation threw, unchanged when unchecked
   * @throws IllegalStateException if interrupted, or wrapping a checked failure
   */
  DataSet take() {
    Future<DataSet> f = pending.poll();
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading a batch", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      // an Error (the assembler already turns one while decoding into a CxrDataException naming
      // the image) or a checked exception: keep what it was in the message
      throw new IllegalStateException("loading a batch failed: " + e.getCause(), e.getCause());
    }
  }

  /** Cancels the batches in flight (those already running finish, but are dropped). */
  void cancelPending() {
    for (Future<DataSet> f : pending) {
      f.cancel(false);
    }
    pending.clear();
  }

  /** Cancels the batches in flight and stops the worker threads. */
  void shutdown() {
    cancelPending();
    pool.shutdownNow();
  }
}
