package dev.cxr.core.training;

import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.provenance.EpochResult;
import dev.cxr.core.provenance.ModelInfo;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Result of patient-level k-fold cross-validation: the kept model's metadata per fold and the
 * pooled out-of-fold scores. Three AUCs per fold, all measured on the fold's held-out patients:
 *
 * <ul>
 *   <li>{@link #nested()}: the AUC of the kept epoch, chosen on an inner split of the fold's
 *       training patients when the run selected that way ({@code Selection.INNER}, the
 *       cross-validation default): the honest figure;
 *   <li>{@link #last()}: the AUC of the last epoch trained;
 *   <li>{@link #optimistic()}: the best AUC of any epoch on the held-out fold itself, which chose
 *       nothing but is the maximum of noisy values, so biased upwards.
 * </ul>
 *
 * @param folds one model's metadata per fold, in fold order
 * @param outOfFold every image scored by the one fold model that did not train on it, pooled
 */
public record CrossValidation(List<ModelInfo> folds, Scores outOfFold) {

  /** Copies the list. */
  public CrossValidation {
    folds = List.copyOf(folds);
    Objects.requireNonNull(outOfFold, "outOfFold");
  }

  /**
   * Per-fold values and their mean and sample standard deviation.
   *
   * @param values one value per fold, in fold order
   */
  public record PerFold(List<Double> values) {
    /** Copies the list. */
    public PerFold {
      values = List.copyOf(values);
    }

    /**
     * @return the mean (NaN for no folds)
     */
    public double mean() {
      return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * @return the sample standard deviation (0 for one fold)
     */
    public double sd() {
      double m = mean();
      double ss = values.stream().mapToDouble(v -> (v - m) * (v - m)).sum();
      return values.size() > 1 ? Math.sqrt(ss / (values.size() - 1)) : 0;
    }
  }

  /**
   * @return each fold's held-out AUC at its kept epoch (nested when the epoch was chosen on an
   *     inner split)
   */
  public PerFold nested() {
    return perFold(f -> f.validation().auc());
  }

  /**
   * @return each fold's held-out AUC at its last epoch
   */
  public PerFold last() {
    return perFold(f -> f.history().get(f.history().size() - 1).auc());
  }

  /**
   * @return each fold's best held-out AUC over its epochs (optimistic: chosen on the data it
   *     reports)
   */
  public PerFold optimistic() {
    return perFold(
        f -> f.history().stream().mapToDouble(EpochResult::auc).max().orElse(Double.NaN));
  }

  /**
   * @return the AUC of the pooled out-of-fold scores (the mean AUC over findings for a multi-label
   *     task, {@link Scores#meanAuc()})
   */
  public double outOfFoldAuc() {
    return outOfFold.meanAuc();
  }

  /**
   * Each fold's held-out AUC of one finding at its kept epoch; folds whose held-out part lacks a
   * class of the finding are left out.
   *
   * @param finding index in the task's findings
   * @return the defined values, in fold order
   */
  public PerFold nested(int finding) {
    return new PerFold(
        folds.stream()
            .map(f -> f.validation().perFinding(f.task().findings()).get(finding).auc())
            .filter(a -> !Double.isNaN(a))
            .toList());
  }

  /**
   * @return mean of the folds' validation AUCs at their kept epochs ({@code nested().mean()})
   */
  public double meanAuc() {
    return nested().mean();
  }

  /**
   * @return sample standard deviation of the folds' validation AUCs at their kept epochs
   */
  public double sdAuc() {
    return nested().sd();
  }

  private PerFold perFold(ToDoubleFunction<ModelInfo> f) {
    return new PerFold(folds.stream().map(m -> f.applyAsDouble(m)).toList());
  }
}
