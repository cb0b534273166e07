package dev.cxr.core.training;

import dev.cxr.core.config.PipelineConfig;

/** Early stopping on validation AUC: stop after {@code patience} epochs without a better one. */
final class EarlyStopping {
  private EarlyStopping() {}

  /**
   * @param config the settings (patience 0 never stops early)
   * @param epochsDone epochs trained so far
   * @param bestEpoch the best epoch so far
   * @return whether to stop now (never after the last epoch, which ends the run anyway)
   */
  static boolean shouldStop(PipelineConfig config, int epochsDone, int bestEpoch) {
    return config.patience() > 0
        && epochsDone - bestEpoch >= config.patience()
        && epochsDone < config.epochs();
  }
}
