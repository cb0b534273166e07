package dev.cxr.core.config;

import dev.cxr.loss.CostMatrixCrossEntropy;
import dev.cxr.loss.FocalLoss;
import dev.cxr.loss.LossForm;
import dev.cxr.loss.WeightedCrossEntropy;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Which loss a pipeline trains with: plain cross-entropy (default), class-weighted, the article's
 * cost-matrix cross-entropy, or focal loss (Lin et al. 2017), all from cxr-loss. Immutable data:
 * lists rather than arrays, checked in the compact constructor with cxr-loss's own checks, so a
 * record read back from a saved model is as valid as one made by the builder.
 *
 * @param kind the loss family
 * @param weights class weights (CLASS_WEIGHTS: one per class) or focal alphas (FOCAL: none or one
 *     per class); empty otherwise
 * @param costMatrix the square cost matrix {@code W[true][predicted]} (COST_MATRIX), else empty
 * @param gamma focal gamma (FOCAL), else 0
 */
public record LossSpec(
    Kind kind, List<Double> weights, List<List<Double>> costMatrix, double gamma) {

  /** Number of classes of the binary task every loss here is built for (negative, positive). */
  public static final int CLASSES = 2;

  /** Plain cross-entropy. */
  public static final LossSpec CROSS_ENTROPY =
      new LossSpec(Kind.CROSS_ENTROPY, List.of(), List.of(), 0);

  /** Loss families. */
  public enum Kind {
    /** Plain cross-entropy. */
    CROSS_ENTROPY,
    /** Per-class weighted cross-entropy. */
    CLASS_WEIGHTS,
    /** Cost-matrix cross-entropy (the article's loss). */
    COST_MATRIX,
    /** Focal loss (Lin et al. 2017). */
    FOCAL,
    /** Multi-label binary cross-entropy with one given positive weight per finding. */
    POS_WEIGHTS
  }

  /** Checks every field against its kind; copies the lists. */
  public LossSpec {
    Objects.requireNonNull(kind, "kind");
    weights = List.copyOf(Objects.requireNonNull(weights, "weights"));
    costMatrix =
        Objects.requireNonNull(costMatrix, "costMatrix").stream().map(List::copyOf).toList();
    switch (kind) {
      case CROSS_ENTROPY -> requireEmpty(kind, weights.isEmpty() && costMatrix.isEmpty());
      case POS_WEIGHTS -> {
        requireEmpty(kind, costMatrix.isEmpty());
        if (weights.isEmpty()) {
          throw new IllegalArgumentException(
              "posWeights needs one weight per finding but got none");
        }
        WeightedCrossEntropy.checkedWeights("posWeights", toArray(weights));
      }
      case CLASS_WEIGHTS -> {
        requireEmpty(kind, costMatrix.isEmpty());
        if (weights.size() != CLASSES) {
          throw new IllegalArgumentException(
              "classWeights needs 2 weights (No Finding, positive) but got " + weights.size());
        }
        WeightedCrossEntropy.checkedWeights("classWeights", toArray(weights));
      }
      case COST_MATRIX -> {
        requireEmpty(kind, weights.isEmpty());
        if (costMatrix.size() != CLASSES) {
          throw new IllegalArgumentException(
              "costMatrix needs 4 values (a 2x2 matrix, row by row) but got a "
                  + costMatrix.size()
                  + "-row matrix");
        }
        CostMatrixCrossEntropy.checkedMatrix(matrixArray(costMatrix));
      }
      case FOCAL -> {
        requireEmpty(kind, costMatrix.isEmpty());
        FocalLoss.checkedGamma(gamma);
      }
    }
    if (kind != Kind.FOCAL && gamma != 0) {
      throw new IllegalArgumentException("gamma is only for the focal loss but was " + gamma);
    }
  }

  /**
   * Class-weighted cross-entropy: {@code classWeights(1, 5)} makes a mistake on a positive image
   * weigh 5 times.
   *
   * @param weights one finite weight {@code >= 0} per class (negative, positive)
   * @return the spec
   */
  public static LossSpec classWeights(double... weights) {
    Objects.requireNonNull(weights, "weights");
    return new LossSpec(Kind.CLASS_WEIGHTS, toList(weights), List.of(), 0);
  }

  /**
   * Multi-label binary cross-entropy with a given positive weight per finding ({@code pos_weight}
   * in PyTorch's {@code BCEWithLogitsLoss}): a missed positive of finding {@code i} weighs {@code
   * w[i]} times. Without it a multi-label task weighs each finding by negatives/positives of its
   * training split.
   *
   * @param weights one finite weight {@code >= 0} per finding, in the task's order
   * @return the spec
   */
  public static LossSpec posWeights(double... weights) {
    Objects.requireNonNull(weights, "posWeights");
    return new LossSpec(Kind.POS_WEIGHTS, toList(weights), List.of(), 0);
  }

  /**
   * Checks that this loss fits the one-finding task (a softmax over negative and positive).
   *
   * @throws IllegalArgumentException naming the loss otherwise
   */
  public void requireBinary() {
    if (kind == Kind.POS_WEIGHTS) {
      throw new IllegalArgumentException(
          "posWeights is for a multi-label task (findings A,B,...); the one-finding task takes"
              + " classWeights");
    }
    if (kind == Kind.FOCAL && !weights.isEmpty()) {
      if (weights.size() != CLASSES) {
        throw new IllegalArgumentException(
            "focal alpha needs 0 or 2 values but got " + weights.size());
      }
      FocalLoss.checkedAlpha(LossForm.SOFTMAX, toArray(weights));
    }
  }

  /**
   * Checks that this loss fits a multi-label task of {@code findings} sigmoid outputs.
   *
   * @param findings number of findings
   * @throws IllegalArgumentException naming the loss and the count otherwise
   */
  public void requireMultiLabel(int findings) {
    switch (kind) {
      case CLASS_WEIGHTS, COST_MATRIX ->
          throw new IllegalArgumentException(
              (kind == Kind.CLASS_WEIGHTS ? "classWeights" : "costMatrix")
                  + " is for the one-finding task; a multi-label task takes posWeights (one per"
                  + " finding) or its default, negatives/positives per finding");
      case POS_WEIGHTS, FOCAL -> {
        if (kind == Kind.POS_WEIGHTS || !weights.isEmpty()) {
          if (weights.size() != findings) {
            throw new IllegalArgumentException(
                (kind == Kind.FOCAL ? "focal alpha" : "posWeights")
                    + " needs one value per finding ("
                    + findings
                    + ") but got "
                    + weights.size());
          }
        }
        if (kind == Kind.FOCAL) {
          FocalLoss.checkedAlpha(LossForm.SIGMOID, toArray(weights));
        }
      }
      case CROSS_ENTROPY -> {}
    }
  }

  /**
   * The loss of a multi-label task's sigmoid head: plain cross-entropy becomes binary cross-entropy
   * weighted by {@code trainingPosWeights} (negatives/positives per finding of the training split),
   * {@link #posWeights} uses its own weights, focal loss its sigmoid form.
   *
   * @param trainingPosWeights negatives/positives per finding of the training split
   * @return a new loss
   */
  public ILossFunction toMultiLabelLoss(double[] trainingPosWeights) {
    return switch (kind) {
      case CROSS_ENTROPY -> WeightedCrossEntropy.sigmoid(trainingPosWeights);
      case POS_WEIGHTS -> WeightedCrossEntropy.sigmoid(toArray(weights));
      case FOCAL -> FocalLoss.sigmoid(gamma, toArray(weights));
      case CLASS_WEIGHTS, COST_MATRIX ->
          throw new IllegalStateException(kind + " has no multi-label form");
    };
  }

  /**
   * The article's cost-matrix cross-entropy, {@code W[true][predicted]}.
   *
   * @param rowMajor the 2x2 matrix row by row, e.g. {@code 1, 5, 5, 1}
   * @return the spec
   */
  public static LossSpec costMatrix(double... rowMajor) {
    Objects.requireNonNull(rowMajor, "costMatrix");
    if (rowMajor.length != CLASSES * CLASSES) {
      throw new IllegalArgumentException(
          "costMatrix needs 4 values (a 2x2 matrix, row by row) but got " + rowMajor.length);
    }
    List<List<Double>> rows =
        List.of(
            toList(Arrays.copyOfRange(rowMajor, 0, CLASSES)),
            toList(Arrays.copyOfRange(rowMajor, CLASSES, 2 * CLASSES)));
    return new LossSpec(Kind.COST_MATRIX, List.of(), rows, 0);
  }

  /**
   * Focal loss (Lin et al. 2017).
   *
   * @param gamma focusing parameter, finite and {@code >= 0} (2 in the paper)
   * @param alpha none, or one class weight per class
   * @return the spec
   */
  public static LossSpec focal(double gamma, double... alpha) {
    Objects.requireNonNull(alpha, "alpha");
    return new LossSpec(Kind.FOCAL, toList(alpha), List.of(), gamma);
  }

  /**
   * Builds the DL4J loss function of the one-finding task's softmax head.
   *
   * @return a new loss
   */
  public ILossFunction toLossFunction() {
    return switch (kind) {
      case CROSS_ENTROPY -> new LossMCXENT();
      case CLASS_WEIGHTS -> WeightedCrossEntropy.softmax(toArray(weights));
      case COST_MATRIX -> new CostMatrixCrossEntropy(matrixArray(costMatrix));
      case FOCAL -> FocalLoss.softmax(gamma, toArray(weights));
      case POS_WEIGHTS -> throw new IllegalStateException("posWeights has no softmax form");
    };
  }

  /**
   * One-line description, e.g. {@code class-weighted cross-entropy [1.0, 5.0]}.
   *
   * @return the description
   */
  public String describe() {
    return switch (kind) {
      case CROSS_ENTROPY -> "cross-entropy";
      case CLASS_WEIGHTS -> "class-weighted cross-entropy " + weights;
      case COST_MATRIX -> "cost-matrix cross-entropy " + costMatrix;
      case FOCAL -> "focal loss (gamma " + gamma + ", alpha " + weights + ")";
      case POS_WEIGHTS -> "binary cross-entropy, positive weights " + weights;
    };
  }

  @Override
  public String toString() {
    return describe();
  }

  private static void requireEmpty(Kind kind, boolean ok) {
    if (!ok) {
      throw new IllegalArgumentException("a " + kind + " loss takes no weights or cost matrix");
    }
  }

  private static List<Double> toList(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(v -> Objects.requireNonNull(v, "weight")).toArray();
  }

  private static double[][] matrixArray(List<List<Double>> rows) {
    return rows.stream().map(LossSpec::toArray).toArray(double[][]::new);
  }
}
