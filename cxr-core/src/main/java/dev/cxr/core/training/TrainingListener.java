package dev.cxr.core.training;

import dev.cxr.core.io.Progress;
import dev.cxr.core.provenance.EpochResult;
import java.util.List;
import java.util.Map;

/**
 * Receives progress from a training run ({@code CxrPipeline}, {@link TrainingRun}). Every method
 * has an empty default.
 */
public interface TrainingListener {
  /**
   * Training starts.
   *
   * @param settings every setting, defaults included
   * @param facts the data: images per split and class, patients
   */
  default void onStart(Map<String, String> settings, Map<String, String> facts) {}

  /**
   * An epoch starts.
   *
   * @param epoch 1-based epoch
   * @param epochs total epochs
   * @param images training images in the epoch
   */
  default void onEpochStart(int epoch, int epochs, int images) {}

  /**
   * A training batch finished.
   *
   * @param imagesDone images trained so far in this epoch
   * @param loss running mean training loss of the epoch
   * @param imagesPerSecond throughput so far in this epoch
   */
  default void onBatch(int imagesDone, double loss, double imagesPerSecond) {}

  /**
   * The AUC of an epoch on the inner split that chooses the kept epoch (nested selection only);
   * called before {@link #onEpochEnd}, whose {@code best} flag follows this AUC.
   *
   * @param epoch 1-based epoch
   * @param auc the epoch's AUC on the inner selection split
   */
  default void onSelectionScore(int epoch, double auc) {}

  /**
   * An epoch finished and was validated.
   *
   * @param result its metrics
   * @param best whether it is the best so far (its checkpoint is kept)
   */
  default void onEpochEnd(EpochResult result, boolean best) {}

  /**
   * Training finished.
   *
   * @param history every epoch's result
   * @param bestEpoch the kept epoch (1-based)
   * @param stoppedEarly whether early stopping ended the run
   */
  default void onFinish(List<EpochResult> history, int bestEpoch, boolean stoppedEarly) {}

  /**
   * A free-form message (resume, checkpoint written, ...).
   *
   * @param message one line
   */
  default void onMessage(String message) {}

  /**
   * Where the progress of long work other than epochs goes (building a persistent pixel cache).
   *
   * @return the progress factory (default: none)
   */
  default Progress.Factory progress() {
    return Progress.Factory.none();
  }
}
