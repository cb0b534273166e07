package dev.cxr.serve;

import dev.cxr.core.CxrModel;
import dev.cxr.core.evaluation.ModelInput;
import dev.cxr.core.explain.Explanation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The one thread that runs the model. Requests hand it decoded images through a bounded queue;
 * whenever it is free it takes every prediction waiting (up to {@code maxBatch}) and scores them in
 * one forward pass, so under load the batch grows by itself and an idle server adds no wait.
 * Grad-CAM requests run one at a time, in their turn. A full queue refuses at once ({@link
 * #predict} throws a 503 {@link ApiError}): work never piles up without bound.
 *
 * <p>One thread, because a DL4J network is not safe to run from several threads at once and the
 * forward pass already uses every core through oneDNN.
 */
final class BatchScorer implements AutoCloseable {
  private sealed interface Job permits Predict, Explain, Stop {}

  private record Predict(ModelInput input, CompletableFuture<Map<String, Double>> result)
      implements Job {}

  private record Explain(ModelInput input, String finding, CompletableFuture<Explanation> result)
      implements Job {}

  private record Stop() implements Job {}

  private final CxrModel model;
  private final int maxBatch;
  private final BlockingQueue<Job> queue;
  private final IntConsumer batchSizes;
  private final Thread worker;

  /**
   * Starts the worker thread.
   *
   * @param model the model (used from the worker thread only)
   * @param capacity jobs waiting, at most
   * @param maxBatch predictions per forward pass, at most
   * @param batchSizes told the size of every batch scored (for the metrics)
   */
  BatchScorer(CxrModel model, int capacity, int maxBatch, IntConsumer batchSizes) {
    this.model = Objects.requireNonNull(model, "model");
    this.maxBatch = maxBatch;
    this.queue = new ArrayBlockingQueue<>(capacity + 1); // + 1: room for the stop signal
    this.batchSizes = Objects.requireNonNull(batchSizes, "batchSizes");
    this.worker = new Thread(this::run, "cxr-serve-model");
    worker.setDaemon(true);
    worker.start();
  }

  /**
   * Queues an image for scoring.
   *
   * @param input a prepared image
   * @return its probabilities, once scored
   * @throws ApiError 503 when the queue is full
   */
  CompletableFuture<Map<String, Double>> predict(ModelInput input) {
    CompletableFuture<Map<String, Double>> f = new CompletableFuture<>();
    offer(new Predict(input, f));
    return f;
  }

  /**
   * Queues an image for Grad-CAM.
   *
   * @param input a prepared image
   * @param finding the finding to explain
   * @return its explanation, once computed
   * @throws ApiError 503 when the queue is full
   */
  CompletableFuture<Explanation> explain(ModelInput input, String finding) {
    CompletableFuture<Explanation> f = new CompletableFuture<>();
    offer(new Explain(input, finding, f));
    return f;
  }

  /**
   * @return jobs waiting for the worker
   */
  int depth() {
    return queue.size();
  }

  private void offer(Job job) {
    // remainingCapacity keeps the slot of the stop signal free
    if (queue.remainingCapacity() <= 1 || !queue.offer(job)) {
      throw ApiError.busy(
          "the server is busy: "
              + queue.size()
              + " images are waiting for the model (--queue); try again in "
              + ApiError.RETRY_AFTER_SECONDS
              + " s");
    }
  }

  private void run() {
    List<Predict> batch = new ArrayList<>(maxBatch);
    while (true) {
      Job job;
      try {
        job = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (job instanceof Stop) {
        return;
      }
      if (job instanceof Explain ex) {
        explainOne(ex);
        continue;
      }
      batch.add((Predict) job);
      // everything that arrived while the last batch ran: one forward pass for all of it
      while (batch.size() < maxBatch && queue.peek() instanceof Predict) {
        batch.add((Predict) queue.poll());
      }
      scoreBatch(batch);
      batch.clear();
    }
  }

  private void scoreBatch(List<Predict> batch) {
    List<ModelInput> inputs = new ArrayList<>(batch.size());
    batch.forEach(p -> inputs.add(p.input()));
    try {
      List<Map<String, Double>> scores = model.predictInputs(inputs);
      batchSizes.accept(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(scores.get(i));
      }
    } catch (RuntimeException | Error e) {
      batch.forEach(p -> p.result().completeExceptionally(e));
    }
  }

  private void explainOne(Explain job) {
    try {
      job.result().complete(model.explainInputs(List.of(job.input()), job.finding()).get(0));
    } catch (RuntimeException | Error e) {
      job.result().completeExceptionally(e);
    }
  }

  /**
   * Scores what is queued, then stops the worker.
   *
   * @throws InterruptedException when interrupted while waiting for the worker
   */
  @Override
  public void close() throws InterruptedException {
    if (worker.isAlive()) {
      queue.put(new Stop()); // behind every job already queued
      worker.join(TimeUnit.MINUTES.toMillis(1));
    }
  }
}
