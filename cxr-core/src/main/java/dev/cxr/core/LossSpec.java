package dev.cxr.core;

import dev.cxr.loss.CostMatrixCrossEntropy;
import dev.cxr.loss.FocalLoss;
import dev.cxr.loss.WeightedCrossEntropy;
import java.util.Arrays;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Which loss a pipeline trains with: plain cross-entropy (default), class-weighted, the article's
 * cost-matrix cross-entropy, or focal loss (from cxr-loss).
 *
 * @param kind the loss family
 * @param weights class weights (CLASS_WEIGHTS) or focal alphas (FOCAL, may be empty)
 * @param costMatrix square cost matrix (COST_MATRIX), else empty
 * @param gamma focal gamma (FOCAL)
 */
public record LossSpec(Kind kind, double[] weights, double[][] costMatrix, double gamma) {

  /** Loss families. */
  public enum Kind {
    /** Plain cross-entropy. */
    CROSS_ENTROPY,
    /** Per-class weighted cross-entropy. */
    CLASS_WEIGHTS,
    /** Cost-matrix cross-entropy (the article's loss). */
    COST_MATRIX,
    /** Focal loss (Lin et al. 2017). */
    FOCAL
  }

  /** Plain cross-entropy. */
  public static final LossSpec CROSS_ENTROPY =
      new LossSpec(Kind.CROSS_ENTROPY, new double[0], new double[0][], 0);

  /**
   * Builds the DL4J loss function.
   *
   * @param multiLabel sigmoid outputs (multi-label) rather than softmax
   * @return the loss
   */
  public ILossFunction toLossFunction(boolean multiLabel) {
    return switch (kind) {
      case CROSS_ENTROPY -> multiLabel ? new LossBinaryXENT() : new LossMCXENT();
      case CLASS_WEIGHTS -> multiLabel
          ? WeightedCrossEntropy.sigmoid(weights)
          : WeightedCrossEntropy.softmax(weights);
      case COST_MATRIX -> {
        if (multiLabel) {
          throw new IllegalArgumentException("costMatrix needs exclusive classes, not multi-label");
        }
        yield new CostMatrixCrossEntropy(costMatrix);
      }
      case FOCAL -> multiLabel ? FocalLoss.sigmoid(gamma, weights) : FocalLoss.softmax(gamma, weights);
    };
  }

  /** @return a one-line description, e.g. {@code class weights [1.0, 5.0]} */
  public String describe() {
    return switch (kind) {
      case CROSS_ENTROPY -> "cross-entropy";
      case CLASS_WEIGHTS -> "class-weighted cross-entropy " + Arrays.toString(weights);
      case COST_MATRIX -> "cost-matrix cross-entropy " + Arrays.deepToString(costMatrix);
      case FOCAL -> "focal loss (gamma " + gamma + ", alpha " + Arrays.toString(weights) + ")";
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LossSpec s
        && s.kind == kind
        && Arrays.equals(s.weights, weights)
        && Arrays.deepEquals(s.costMatrix, costMatrix)
        && Double.compare(s.gamma, gamma) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights) * 31 + kind.hashCode() + Arrays.deepHashCode(costMatrix);
  }

  @Override
  public String toString() {
    return describe();
  }
}
