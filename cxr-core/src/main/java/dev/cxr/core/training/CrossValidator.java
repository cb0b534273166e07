package dev.cxr.core.training;

import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import dev.cxr.core.ensemble.FoldEnsemble;
import dev.cxr.core.evaluation.Scorer;
import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.provenance.DataFingerprint;
import dev.cxr.core.provenance.Fold;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.provenance.ModelInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Patient-level k-fold cross-validation: one {@link TrainingRun} per fold, each fold's held-out
 * patients treated as a test part (so the default selection chooses the kept epoch on an inner
 * split of the fold's training patients), the out-of-fold scores pooled, and optionally the fold
 * models and their ensemble written.
 */
public final class CrossValidator {
  /** File name of the ensemble written with an output directory. */
  public static final String ENSEMBLE_FILE = "ensemble.zip";

  private CrossValidator() {}

  /**
   * Trains one model per fold, each validated on its held-out patients; fold {@code i}'s
   * checkpoints go to {@code fold-i} below the configured checkpoint directory.
   *
   * @param config the settings
   * @param listener receives progress
   * @param dirs one or more data directories
   * @param folds number of folds, at least 2
   * @return the kept model's metadata per fold and the out-of-fold scores
   */
  public static CrossValidation run(
      PipelineConfig config, TrainingListener listener, List<Path> dirs, int folds) {
    return run(config, listener, dirs, folds, null, new DataReport(), null);
  }

  /**
   * Cross-validates and, with an output directory, writes each fold's kept model as {@code
   * fold-i.zip} and their ensemble (the mean of their probabilities, {@link FoldEnsemble}) as
   * {@value #ENSEMBLE_FILE}; records what is skipped (with {@code skipBad}) in a given report; with
   * a cache directory, keeps the pixels in a persistent cache (the first fold builds the file if no
   * earlier run did, the others read it).
   *
   * @param config the settings
   * @param listener receives progress
   * @param dirs one or more data directories
   * @param folds number of folds, at least 2
   * @param outDir where the fold models and the ensemble go, or null to keep none
   * @param report where skipped items go
   * @param cacheDir directory of the persistent pixel cache, or null for in-memory caches
   * @return the kept model's metadata per fold and the out-of-fold scores
   */
  public static CrossValidation run(
      PipelineConfig config,
      TrainingListener listener,
      List<Path> dirs,
      int folds,
      Path outDir,
      DataReport report,
      Path cacheDir) {
    if (outDir != null) {
      try {
        AtomicFiles.checkWritable(outDir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write models in " + outDir + ": " + e, e);
      }
    }
    TrainingData data = TrainingData.read(config, dirs, report);
    List<PatientSplit> splits = PatientSplit.kFold(data.labeled().samples(), folds, config.seed());
    if (outDir != null) {
      // before the first fold, so that a peer (bench/multilabel-peer.sh) can train on the same
      // folds meanwhile, and an interrupted run still says how it split
      FoldsFile.write(outDir.resolve(FoldsFile.NAME), data, splits);
      listener.onMessage("wrote " + outDir.resolve(FoldsFile.NAME));
    }
    TrainingRun run = new TrainingRun(config, listener, cacheDir);
    List<ModelInfo> results = new ArrayList<>();
    List<ModelFile.Contents> models = new ArrayList<>();
    List<Scores> heldOut = new ArrayList<>();
    for (int i = 0; i < splits.size(); i++) {
      listener.onMessage("fold " + (i + 1) + "/" + folds);
      Path cp =
          config.checkpointDir() == null ? null : config.checkpointDir().resolve("fold-" + (i + 1));
      Fold which = new Fold(i + 1, folds, config.seed()); // as kFold above was drawn
      ModelFile.Contents fold = run.train(data, splits.get(i), cp, false, which);
      results.add(fold.info());
      heldOut.add(outOfFold(config, data, fold, splits.get(i).validation()));
      if (outDir != null) {
        write(outDir.resolve("fold-" + (i + 1) + ".zip"), fold);
        models.add(fold);
      }
    }
    Scores pooled = Scores.concat(heldOut);
    if (outDir != null) {
      String fingerprint =
          DataFingerprint.of(data.dataset(), new PatientSplit(data.labeled().samples(), List.of()));
      FoldEnsemble ensemble = FoldEnsemble.of(models, pooled, fingerprint);
      try {
        ensemble.save(outDir.resolve(ENSEMBLE_FILE));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + outDir.resolve(ENSEMBLE_FILE), e);
      }
      listener.onMessage("wrote " + folds + " fold models and " + outDir.resolve(ENSEMBLE_FILE));
    }
    return new CrossValidation(results, pooled);
  }

  /** The held-out fold scored by the fold's kept model, as the run validated it. */
  private static Scores outOfFold(
      PipelineConfig config, TrainingData data, ModelFile.Contents fold, List<Sample> heldOut) {
    Scorer scorer = Scorer.forModel(fold.network(), fold.info());
    try (PixelCache cache = PixelCache.create()) {
      // with skipBad, the images the fold's run left out are left out here too (reported once)
      List<Sample> readable = data.readable(config, heldOut, cache, "validation");
      return scorer.score(readable, cache, config.workers(), null);
    }
  }

  private static void write(Path file, ModelFile.Contents c) {
    try {
      ModelFile.write(file, c.network(), c.info(), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
