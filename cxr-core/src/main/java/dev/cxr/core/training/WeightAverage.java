package dev.cxr.core.training;

import dev.cxr.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exponential moving average of a network's parameters, kept beside the raw ones (see {@code
 * ConfigBuilder.ema}): after batch {@code t} (1-based), {@code avg = d * avg + (1 - d) * params}
 * with {@code d = min(decay, (t - 1) / t)}: the plain mean of the weights after each batch so far
 * until {@code t} reaches {@code 1 / (1 - decay)}, exponential after that. The random initial
 * weights never enter, and the decay matters from early on (a warm-up such as {@code (1 + t) / (10
 * + t)} would decide alone for the ~100 batches of a small-data run). Batch-norm running statistics
 * are parameters in DL4J and are averaged with the rest.
 *
 * <p>It owns a copy of the network ({@link #network()}) that holds the average, for scoring and
 * saving; the trained network is only read.
 */
final class WeightAverage {
  private final double decay;
  private final ComputationGraph averaged;
  private final INDArray average;
  private long updates;

  /**
   * @param network the network being trained; the average starts at its current parameters
   * @param decay in (0, 1)
   */
  WeightAverage(ComputationGraph network, double decay) {
    if (!(decay > 0 && decay < 1)) {
      throw new IllegalArgumentException("emaDecay must be in (0, 1) but was " + decay);
    }
    this.decay = decay;
    this.averaged = network.clone();
    this.average = averaged.params(); // the copy's own parameter array, updated in place
  }

  /**
   * Folds the trained network's current parameters into the average (after every batch), unless the
   * network's {@link FusedUpdater} folds them in within its own pass (see {@link
   * FusedUpdater#averageInto}); this is the path for networks it does not cover.
   */
  void update(ComputationGraph network) {
    double d = nextDecay();
    INDArray p = network.params();
    average.muli(d); // blend(avg, p, d) as two ND4J passes
    Nd4j.getBlasWrapper().level1().axpy(average.length(), 1 - d, p, average);
  }

  /**
   * Counts one more batch and returns its decay {@code d = min(decay, (t - 1) / t)}.
   *
   * @return the weight of the old average for this batch
   */
  double nextDecay() {
    updates++;
    return Math.min(decay, (updates - 1.0) / updates);
  }

  /**
   * One element of the average after a batch: {@code d * avg + (1 - d) * p}.
   *
   * @param avg the average so far
   * @param p the parameter after the batch
   * @param d the batch's decay ({@link #nextDecay()})
   * @return the new average
   */
  static float blend(float avg, float p, float d) {
    return avg * d + (1 - d) * p;
  }

  /**
   * @return the average's own parameter array (that of {@link #network()}), updated in place
   */
  INDArray values() {
    return average;
  }

  /**
   * @return the copy of the network that holds the average (shared: later updates change it)
   */
  ComputationGraph network() {
    return averaged;
  }

  /**
   * @return the number of batches averaged so far
   */
  long updates() {
    return updates;
  }

  /**
   * @return a copy of the average and its batch count, for a checkpoint
   */
  State state() {
    return new State(updates, average.castTo(DataType.FLOAT).dup().data().asFloat());
  }

  /**
   * Continues a saved average (a resumed run).
   *
   * @param s the saved state
   * @throws IllegalStateException when it was saved for another number of parameters
   */
  void restore(State s) {
    if (s.values().length != average.length()) {
      throw new IllegalStateException(
          "the saved weight average has "
              + s.values().length
              + " values, the network "
              + average.length());
    }
    average.assign(Nd4j.createFromArray(s.values()).castTo(average.dataType()));
    updates = s.updates();
  }

  /**
   * A saved average: its batch count and values.
   *
   * @param updates batches averaged
   * @param values the averaged parameters (owned by this record; not copied)
   */
  record State(long updates, float[] values) {
    private static final int MAGIC = 0x43585241; // "CXRA"

    /** Writes the state atomically: magic, count, length, then the values. */
    void write(Path file) throws IOException {
      AtomicFiles.write(
          file,
          tmp -> {
            try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
              out.writeInt(MAGIC);
              out.writeLong(updates);
              out.writeInt(values.length);
              for (float v : values) {
                out.writeFloat(v);
              }
            }
          });
    }

    /**
     * Reads a state written by {@link #write}, checking its header against the network's size
     * before allocating anything.
     */
    static State read(Path file, long expectedValues) {
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
        if (in.readInt() != MAGIC) {
          throw new IllegalStateException(file + ": not a cxr weight-average file");
        }
        long updates = in.readLong();
        int n = in.readInt();
        if (n != expectedValues || updates < 0) {
          throw new IllegalStateException(
              file + ": holds " + n + " values for a network of " + expectedValues);
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
          values[i] = in.readFloat();
        }
        return new State(updates, values);
      } catch (IOException ex) {
        throw new IllegalStateException("cannot read " + file + ": " + ex.getMessage(), ex);
      }
    }
  }
}
