package dev.cxr.core.training;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.io.DiskSpace;
import dev.cxr.core.io.RunLock;
import dev.cxr.core.provenance.EpochResult;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.provenance.ModelInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The checkpoint directory of a run: {@value #BEST} (the best validation AUC so far) and {@value
 * #LAST} (the last epoch, with optimiser state), both written atomically after every epoch, and the
 * resume of an interrupted run from them.
 */
public final class Checkpoints {
  /** Name of the best-AUC checkpoint in the checkpoint directory. */
  public static final String BEST = "best.zip";

  /** Name of the last-epoch checkpoint (with optimiser state, for resuming). */
  public static final String LAST = "last.zip";

  /** The weight average beside {@value #LAST}, when the run keeps one, so a resume continues it. */
  public static final String LAST_AVERAGE = "last-average.bin";

  private final Path dir;

  /**
   * @param dir the checkpoint directory, or null to keep nothing on disk
   */
  Checkpoints(Path dir) {
    this.dir = dir;
  }

  /**
   * The state of an interrupted run, read back from its checkpoints.
   *
   * @param network the last epoch's network, with optimiser state
   * @param history the epochs trained so far
   * @param bestEpoch the best epoch so far
   * @param bestParams the best epoch's parameters, or null when its checkpoint is missing
   */
  record Resumed(
      ComputationGraph network,
      List<EpochResult> history,
      int bestEpoch,
      INDArray bestParams,
      WeightAverage.State average) {}

  /**
   * Reads the interrupted run back, refusing one with other settings (compared as data, see {@link
   * PipelineConfig#differenceFrom}) or other data.
   *
   * @param config this run's settings
   * @param fingerprint this run's data fingerprint
   * @return the state to continue from
   * @throws IllegalStateException when there is nothing to resume or the runs differ
   */
  Resumed resume(PipelineConfig config, String fingerprint) {
    Path last = dir == null ? null : dir.resolve(LAST);
    if (last == null || !Files.isRegularFile(last)) {
      throw new IllegalStateException("cannot resume: no " + LAST + " in " + dir);
    }
    ModelFile.Contents saved = ModelFile.read(last, true);
    ModelInfo info = saved.info();
    config
        .differenceFrom(info.config())
        .ifPresent(
            d -> {
              throw new IllegalStateException(
                  "cannot resume from " + last + ": it was trained with " + d);
            });
    if (!fingerprint.equals(info.dataFingerprint())) {
      throw new IllegalStateException(
          "cannot resume from " + last + ": the training data has changed since it was written");
    }
    Path best = dir.resolve(BEST);
    INDArray bestParams =
        Files.isRegularFile(best) ? ModelFile.read(best, false).network().params().dup() : null;
    Path avg = dir.resolve(LAST_AVERAGE);
    WeightAverage.State average =
        config.emaDecay() > 0 && Files.isRegularFile(avg)
            ? WeightAverage.State.read(avg, saved.network().numParams())
            : null;
    return new Resumed(saved.network(), info.history(), info.bestEpoch(), bestParams, average);
  }

  /**
   * Writes the checkpoints of an epoch: {@value #LAST} always, for resuming (the trained network
   * and its optimiser state); {@value #BEST} when it is the best epoch so far, holding the kept
   * weights (the trained network's own, or their moving average when the run keeps one).
   *
   * @param trained the network being trained
   * @param average the run's weight average (kept instead of the trained weights, and written
   *     beside {@value #LAST}), or null
   * @param info metadata so far
   * @param best whether this epoch is the best so far
   */
  void saveEpoch(ComputationGraph trained, WeightAverage average, ModelInfo info, boolean best) {
    if (dir == null) {
      return;
    }
    if (best) {
      write(BEST, average == null ? trained : average.network(), info, false);
    }
    if (average != null) {
      try {
        average.state().write(dir.resolve(LAST_AVERAGE));
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot write checkpoint " + dir.resolve(LAST_AVERAGE), ex);
      }
    }
    write(LAST, trained, info, true);
  }

  /**
   * Writes the final model (the kept weights with their validation metrics) as {@value #BEST}.
   *
   * @param network the kept network
   * @param info its final metadata
   */
  void saveFinal(ComputationGraph network, ModelInfo info) {
    if (dir != null) {
      write(BEST, network, info, false);
    }
  }

  /**
   * Checks, before the first epoch, that the checkpoint directory can be created and written, so
   * that a bad path fails at once rather than after an hour of training.
   *
   * @throws UncheckedIOException naming the directory and the cause
   */
  void checkWritable() {
    if (dir == null) {
      return;
    }
    try {
      AtomicFiles.checkWritable(dir);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + ex, ex);
    }
  }

  /**
   * Takes the checkpoint directory's lock, so that a second run in the same directory is refused
   * (see {@link RunLock}).
   *
   * @param warnings receives the line when a stale lock is taken over
   * @return the lock to close when the run ends, or null without a checkpoint directory
   * @throws IllegalStateException naming the directory and the other run
   */
  RunLock lock(Consumer<String> warnings) {
    return dir == null ? null : RunLock.acquire(dir, warnings);
  }

  /**
   * Checks, before the first epoch, that the checkpoints will roughly fit on the disk. At the
   * fullest the directory holds {@value #BEST} (the parameters), {@value #LAST} (the parameters and
   * up to two values per parameter of optimiser state) and the temporary copy of {@value #LAST}
   * being written: 7 values per parameter, 4 bytes each, less what the files already there take.
   *
   * @param parameters the network's parameter count
   * @throws IllegalStateException naming the directory, the needed and the free bytes
   */
  void checkSpace(long parameters) {
    if (dir == null) {
      return;
    }
    long needed = 7L * Float.BYTES * parameters;
    for (String name : List.of(BEST, LAST)) {
      try {
        Path f = dir.resolve(name);
        needed -= Files.isRegularFile(f) ? Files.size(f) : 0;
      } catch (IOException e) {
        // counted as absent
      }
    }
    DiskSpace.require(dir, needed, "checkpoints");
  }

  private void write(String name, ComputationGraph network, ModelInfo info, boolean withUpdater) {
    try {
      ModelFile.write(dir.resolve(name), network, info, withUpdater);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + ex, ex);
    }
  }
}
