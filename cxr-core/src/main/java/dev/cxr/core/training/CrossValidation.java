package dev.cxr.core.training;

import dev.cxr.core.provenance.ModelInfo;
import java.util.List;

/**
 * Result of patient-level k-fold cross-validation: the kept model's metadata per fold.
 *
 * @param folds one model's metadata per fold, in fold order
 */
public record CrossValidation(List<ModelInfo> folds) {

  /** Copies the list. */
  public CrossValidation {
    folds = List.copyOf(folds);
  }

  /**
   * @return mean of the folds' validation AUCs
   */
  public double meanAuc() {
    return folds.stream().mapToDouble(f -> f.validation().auc()).average().orElse(Double.NaN);
  }

  /**
   * @return sample standard deviation of the folds' validation AUCs (0 for one fold)
   */
  public double sdAuc() {
    double m = meanAuc();
    double ss =
        folds.stream()
            .mapToDouble(f -> (f.validation().auc() - m) * (f.validation().auc() - m))
            .sum();
    return folds.size() > 1 ? Math.sqrt(ss / (folds.size() - 1)) : 0;
  }
}
