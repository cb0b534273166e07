package dev.cxr.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J label masks read as one multiplier per output: a per-example mask {@code [mb, 1]} (or a
 * vector of length {@code mb}) is repeated across the outputs, a per-output mask {@code [mb, nOut]}
 * is taken as it is.
 */
final class LossMask {
  private LossMask() {}

  /**
   * The mask as one multiplier per output, row-major {@code [rows, n]}, or null without a mask.
   *
   * @throws IllegalStateException naming both accepted shapes when the mask has neither
   */
  static double[] multipliers(INDArray mask, int rows, int n, INDArray preOutput) {
    if (mask == null) {
      return null;
    }
    long[] s = mask.shape();
    boolean perExample =
        mask.length() == rows
            && (s.length == 1
                || (s.length == 2 && s[1] == 1)
                || (s.length == 2 && rows == 1 && s[0] == 1));
    boolean perOutput = s.length == 2 && s[0] == rows && s[1] == n;
    if (n == 1 && perOutput) {
      perExample = true;
    }
    if (!perExample && !perOutput) {
      throw new IllegalStateException(
          "Invalid mask array: per-example masks must have shape ["
              + rows
              + ", 1] and per-output masks the labels' shape "
              + Arrays.toString(preOutput.shape())
              + ", but the mask has shape "
              + Arrays.toString(s));
    }
    double[] flat = BaseCrossEntropyLoss.flatten(mask);
    if (perOutput && !perExample) {
      return flat;
    }
    double[] out = new double[rows * n];
    for (int i = 0; i < rows; i++) {
      Arrays.fill(out, i * n, (i + 1) * n, flat[i]);
    }
    return out;
  }
}
