package dev.cxr.core.training;

import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrDataSetIterator;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.PixelCaches;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.Normalisation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The learning-rate range test of Smith (2017, "Cyclical Learning Rates for Training Neural
 * Networks"): the rate grows exponentially batch by batch while the exponentially smoothed loss is
 * recorded; the run stops when the loss exceeds four times its minimum. The suggested rate is the
 * one at the steepest descent of the smoothed loss before its minimum, measured over a window of
 * steps (a common heuristic; check it against the picture).
 */
public final class LrFinder {
  private LrFinder() {}

  /**
   * The curve of a range test.
   *
   * @param rates learning rate at each step
   * @param losses smoothed loss at each step
   * @param suggested suggested learning rate
   */
  public record Result(double[] rates, double[] losses, double suggested) {
    /** Copies the arrays: a record never hands out its own. */
    public Result {
      rates = rates.clone();
      losses = losses.clone();
    }

    /**
     * @return a copy of the learning rates
     */
    @Override
    public double[] rates() {
      return rates.clone();
    }

    /**
     * @return a copy of the smoothed losses
     */
    @Override
    public double[] losses() {
      return losses.clone();
    }
  }

  /**
   * Runs the range test from fresh weights on the training split of a data directory.
   *
   * @param config the settings (network, optimiser, batches, augmentation, split)
   * @param dirs one or more data directories
   * @param minRate first learning rate
   * @param maxRate last learning rate
   * @param steps number of batches
   * @param listener receives progress
   * @return the curve and a suggested rate
   */
  public static Result run(
      PipelineConfig config,
      List<Path> dirs,
      double minRate,
      double maxRate,
      int steps,
      TrainingListener listener) {
    return run(config, dirs, minRate, maxRate, steps, listener, new DataReport(), null);
  }

  /**
   * Runs the range test, recording what is skipped (with {@code skipBad}) in a given report, with
   * the pixels in a persistent cache when a directory is given (built over every labelled image of
   * the directory if no earlier run did, so that training on the same data reads it afterwards).
   *
   * @param config the settings (network, optimiser, batches, augmentation, split)
   * @param dirs one or more data directories
   * @param minRate first learning rate
   * @param maxRate last learning rate
   * @param steps number of batches
   * @param listener receives progress
   * @param report where skipped items go
   * @param cacheDir directory of the persistent pixel cache, or null for an in-memory cache
   * @return the curve and a suggested rate
   */
  public static Result run(
      PipelineConfig config,
      List<Path> dirs,
      double minRate,
      double maxRate,
      int steps,
      TrainingListener listener,
      DataReport report,
      Path cacheDir) {
    TrainingData data = TrainingData.read(config, dirs, report);
    try (PixelCache cache =
        PixelCaches.open(
            cacheDir,
            data.dataset().commonRoot(),
            data.labeled().samples(),
            config.imageSize(),
            config.workers(),
            listener.progress())) {
      List<Sample> train = data.readable(config, data.split(config).train(), cache, "training");
      CxrDataSetIterator it = data.trainingIterator(config, train, cache, Normalisation.MIN_MAX);
      try {
        ComputationGraph net = NetworkFactory.build(config, data.task(), data.loss(config, train));
        return run(net, it, minRate, maxRate, steps, listener);
      } finally {
        it.shutdown();
      }
    }
  }

  static Result run(
      ComputationGraph net,
      CxrDataSetIterator it,
      double minRate,
      double maxRate,
      int steps,
      TrainingListener listener) {
    if (!(minRate > 0 && maxRate > minRate)) {
      throw new IllegalArgumentException(
          "learning-rate range must satisfy 0 < min < max but was " + minRate + ".." + maxRate);
    }
    if (steps < 5) {
      throw new IllegalArgumentException("steps must be >= 5 but was " + steps);
    }
    double factor = Math.pow(maxRate / minRate, 1.0 / (steps - 1));
    List<Double> rates = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    double avg = 0;
    double best = Double.POSITIVE_INFINITY;
    double beta = 0.9;
    double lr = minRate;
    for (int step = 0; step < steps; step++) {
      if (!it.hasNext()) {
        it.reset();
      }
      DataSet ds = it.next();
      net.setLearningRate(lr);
      net.fit(ds);
      double loss = net.score();
      avg = beta * avg + (1 - beta) * loss;
      double smoothed = avg / (1 - Math.pow(beta, step + 1));
      if (!Double.isFinite(smoothed) || (step > 5 && smoothed > 4 * best)) {
        break;
      }
      best = Math.min(best, smoothed);
      rates.add(lr);
      losses.add(smoothed);
      if ((step + 1) % 10 == 0) {
        listener.onMessage(
            String.format(
                Locale.ROOT,
                "lr-find step %d/%d  lr %.2e  loss %.4f",
                step + 1,
                steps,
                lr,
                smoothed));
      }
      lr *= factor;
    }
    double[] r = rates.stream().mapToDouble(Double::doubleValue).toArray();
    double[] l = losses.stream().mapToDouble(Double::doubleValue).toArray();
    return new Result(r, l, suggest(r, l));
  }

  /**
   * The rate where the smoothed loss falls fastest before its minimum, the slope taken over a
   * window of points on each side (in log-rate) so that noise in the first steps does not decide;
   * one tenth of the minimum's rate when no such descent exists.
   */
  static double suggest(double[] rates, double[] losses) {
    if (rates.length < 3) {
      return rates.length == 0 ? Double.NaN : rates[0];
    }
    int min = 0;
    for (int i = 1; i < losses.length; i++) {
      if (losses[i] < losses[min]) {
        min = i;
      }
    }
    int w = Math.max(2, rates.length / 20);
    int best = -1;
    double slope = 0;
    for (int i = w; i + w <= min; i++) {
      double s =
          (losses[i + w] - losses[i - w]) / (Math.log(rates[i + w]) - Math.log(rates[i - w]));
      if (s < slope) {
        slope = s;
        best = i;
      }
    }
    return best >= 0 ? rates[best] : rates[min] / 10;
  }
}
