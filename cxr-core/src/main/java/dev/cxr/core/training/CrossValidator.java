package dev.cxr.core.training;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.provenance.ModelInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Patient-level k-fold cross-validation: one {@link TrainingRun} per fold. */
public final class CrossValidator {
  private CrossValidator() {}

  /**
   * Trains one model per fold, each validated on its held-out patients; fold {@code i}'s
   * checkpoints go to {@code fold-i} below the configured checkpoint directory.
   *
   * @param config the settings
   * @param listener receives progress
   * @param dir a data directory
   * @param folds number of folds, at least 2
   * @return the kept model's metadata per fold
   */
  public static CrossValidation run(
      PipelineConfig config, TrainingListener listener, Path dir, int folds) {
    return run(config, listener, dir, folds, null);
  }

  /**
   * Cross-validation as {@link #run(PipelineConfig, TrainingListener, Path, int)}, with the pixels
   * in a persistent cache: the first fold builds the file (if no earlier run did), the others read
   * it.
   *
   * @param config the settings
   * @param listener receives progress
   * @param dir a data directory
   * @param folds number of folds, at least 2
   * @param cacheDir directory of the persistent pixel cache, or null for in-memory caches
   * @return the kept model's metadata per fold
   */
  public static CrossValidation run(
      PipelineConfig config, TrainingListener listener, Path dir, int folds, Path cacheDir) {
    TrainingData data = TrainingData.read(config, dir);
    List<PatientSplit> splits = PatientSplit.kFold(data.labeled().samples(), folds, config.seed());
    TrainingRun run = new TrainingRun(config, listener, cacheDir);
    List<ModelInfo> results = new ArrayList<>();
    for (int i = 0; i < splits.size(); i++) {
      listener.onMessage("fold " + (i + 1) + "/" + folds);
      Path cp =
          config.checkpointDir() == null ? null : config.checkpointDir().resolve("fold-" + (i + 1));
      results.add(run.train(data, splits.get(i), cp, false).info());
    }
    return new CrossValidation(results);
  }
}
