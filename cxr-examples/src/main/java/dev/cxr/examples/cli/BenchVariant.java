package dev.cxr.examples.cli;

import dev.cxr.resnet.BatchNormImplementation;
import java.util.ArrayList;
import java.util.List;

/**
 * One network that {@code cxr bench-model} times: its batch norm, whether the residual add + ReLU
 * and the updater are fused, and whether the convolutions' forward pass is cxr's direct one. A
 * compare mode gives two variants that differ in one of these.
 *
 * @param label what the output calls it (empty when there is one variant)
 * @param batchNorm the batch-norm layers
 * @param fused cxr's AddRelu vertex and FusedUpdater (else DL4J's add, ReLU layer and updater)
 * @param directForward cxr's direct convolution forward pass (else libnd4j's conv2d)
 */
record BenchVariant(
    String label, BatchNormImplementation batchNorm, boolean fused, boolean directForward) {

  /**
   * The variants that {@code --batch-norm}, {@code --step-fusion} and {@code --conv-forward} ask
   * for: one, or two when exactly one of them is {@code compare}.
   */
  static List<BenchVariant> of(String batchNorm, String stepFusion, String convForward) {
    List<BatchNormImplementation> kinds =
        switch (batchNorm) {
          case "fused" -> List.of(BatchNormImplementation.FUSED);
          case "dl4j" -> List.of(BatchNormImplementation.DL4J);
          case "compare" -> List.of(BatchNormImplementation.FUSED, BatchNormImplementation.DL4J);
          default ->
              throw new IllegalArgumentException(
                  "--batch-norm must be fused, dl4j or compare but was '" + batchNorm + "'");
        };
    List<Boolean> fusions = choice("--step-fusion", stepFusion, "fused");
    List<Boolean> forwards = choice("--conv-forward", convForward, "direct");
    int compares =
        (kinds.size() > 1 ? 1 : 0) + (fusions.size() > 1 ? 1 : 0) + (forwards.size() > 1 ? 1 : 0);
    if (compares > 1) {
      throw new IllegalArgumentException(
          "compare one thing at a time: --batch-norm, --step-fusion or --conv-forward compare");
    }
    List<BenchVariant> variants = new ArrayList<>();
    for (BatchNormImplementation kind : kinds) {
      for (boolean fused : fusions) {
        for (boolean direct : forwards) {
          String label =
              kinds.size() > 1
                  ? "batch norm " + kind
                  : fusions.size() > 1
                      ? "step fusion " + (fused ? "fused" : "dl4j")
                      : forwards.size() > 1 ? "conv forward " + (direct ? "direct" : "dl4j") : "";
          variants.add(new BenchVariant(label, kind, fused, direct));
        }
      }
    }
    return variants;
  }

  /** "fused/dl4j" or "direct/dl4j": what the ratio of a compare run divides. */
  static String ratioLabel(List<BenchVariant> variants) {
    return variants.get(0).directForward() != variants.get(1).directForward()
        ? "direct/dl4j"
        : "fused/dl4j";
  }

  /** {@code [true]}, {@code [false]} or {@code [true, false]} for {@code cxr's}, dl4j, compare. */
  private static List<Boolean> choice(String option, String value, String cxrs) {
    if (value.equals(cxrs)) {
      return List.of(true);
    }
    return switch (value) {
      case "dl4j" -> List.of(false);
      case "compare" -> List.of(true, false);
      default ->
          throw new IllegalArgumentException(
              option + " must be " + cxrs + ", dl4j or compare but was '" + value + "'");
    };
  }
}
