package dev.cxr.core.evaluation;

import dev.cxr.core.data.DataReport;
import dev.cxr.core.io.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to score a saved model on, and how: one object instead of positional overloads. Built with
 * {@link #of(Path...)} and the {@code with}-style setters, each checked at once:
 *
 * <pre>{@code
 * EvaluationRequest r = EvaluationRequest.of(dir).validationSplitOnly(true).workers(2);
 * }</pre>
 *
 * @param data the data directories (each in either layout, one patient namespace)
 * @param labels labels CSV (relative to the data directory or absolute), or null for the one the
 *     model was trained with
 * @param validationSplitOnly score only the validation part of the model's training run (its
 *     held-out fold for a cross-validation fold model), rebuilt from its seed
 * @param workers decoding threads
 * @param skipped null to stop at the first bad item (before any scoring); else bad rows and
 *     unreadable images are left out and recorded here
 * @param cacheDir directory of the persistent pixel cache, or null for an in-memory one
 * @param progress reports the cache build and the scoring
 * @param tta test-time augmentation ({@link TestTimeAugmentation#NONE} for none)
 */
public record EvaluationRequest(
    List<Path> data,
    Path labels,
    boolean validationSplitOnly,
    int workers,
    DataReport skipped,
    Path cacheDir,
    Progress.Factory progress,
    TestTimeAugmentation tta) {

  /** Checks the fields. */
  public EvaluationRequest {
    data = List.copyOf(Objects.requireNonNull(data, "data"));
    if (data.isEmpty()) {
      throw new IllegalArgumentException("data must name at least one directory");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1 but was " + workers);
    }
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(tta, "tta");
  }

  /**
   * Every usable image of the given directories, strict, in memory, 2 workers, no progress.
   *
   * @param dirs one or more data directories
   * @return the request
   */
  public static EvaluationRequest of(Path... dirs) {
    List<Path> d = new ArrayList<>();
    for (Path p : Objects.requireNonNull(dirs, "dirs")) {
      d.add(Objects.requireNonNull(p, "dir"));
    }
    return new EvaluationRequest(
        d, null, false, 2, null, null, Progress.Factory.none(), TestTimeAugmentation.NONE);
  }

  /**
   * @param dirs one or more data directories
   * @return this request on them
   */
  public EvaluationRequest data(List<Path> dirs) {
    return new EvaluationRequest(
        dirs, labels, validationSplitOnly, workers, skipped, cacheDir, progress, tta);
  }

  /**
   * @param file labels CSV, or null for the model's
   * @return this request with it
   */
  public EvaluationRequest labels(Path file) {
    return new EvaluationRequest(
        data, file, validationSplitOnly, workers, skipped, cacheDir, progress, tta);
  }

  /**
   * @param only score only the validation part of the model's training run
   * @return this request with it
   */
  public EvaluationRequest validationSplitOnly(boolean only) {
    return new EvaluationRequest(data, labels, only, workers, skipped, cacheDir, progress, tta);
  }

  /**
   * @param n decoding threads, at least 1
   * @return this request with it
   */
  public EvaluationRequest workers(int n) {
    return new EvaluationRequest(
        data, labels, validationSplitOnly, n, skipped, cacheDir, progress, tta);
  }

  /**
   * @param report where bad items are recorded (and left out); null to stop at the first
   * @return this request with it
   */
  public EvaluationRequest skipBad(DataReport report) {
    return new EvaluationRequest(
        data, labels, validationSplitOnly, workers, report, cacheDir, progress, tta);
  }

  /**
   * @param dir persistent pixel cache directory, or null for an in-memory cache
   * @return this request with it
   */
  public EvaluationRequest cache(Path dir) {
    return new EvaluationRequest(
        data, labels, validationSplitOnly, workers, skipped, dir, progress, tta);
  }

  /**
   * @param factory progress reports
   * @return this request with it
   */
  public EvaluationRequest progress(Progress.Factory factory) {
    return new EvaluationRequest(
        data, labels, validationSplitOnly, workers, skipped, cacheDir, factory, tta);
  }

  /**
   * @param variants test-time augmentation
   * @return this request with it
   */
  public EvaluationRequest tta(TestTimeAugmentation variants) {
    return new EvaluationRequest(
        data, labels, validationSplitOnly, workers, skipped, cacheDir, progress, variants);
  }
}
