package dev.cxr.loss;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded test data shared by the loss tests (double precision, no global RNG). */
final class LossFixtures {

  private LossFixtures() {}

  /**
   * Gaussian logits [rows, cols] whose largest entry per row leads the second by at least 0.05, so
   * a tiny perturbation never changes the predicted class (the cost-matrix factor is piecewise
   * constant).
   */
  static INDArray logits(Random rnd, int rows, int cols) {
    double[][] x = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      int top = 0;
      for (int c = 0; c < cols; c++) {
        x[i][c] = rnd.nextGaussian();
        if (x[i][c] > x[i][top]) {
          top = c;
        }
      }
      double second = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < cols; c++) {
        if (c != top) {
          second = Math.max(second, x[i][c]);
        }
      }
      if (cols > 1 && x[i][top] - second < 0.05) {
        x[i][top] = second + 0.05;
      }
    }
    return Nd4j.createFromArray(x);
  }

  /** One-hot labels [rows, cols]; every class appears when rows >= cols. */
  static INDArray oneHot(Random rnd, int rows, int cols) {
    double[][] y = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      y[i][i < cols ? i : rnd.nextInt(cols)] = 1;
    }
    return Nd4j.createFromArray(y);
  }

  /** Independent 0/1 labels [rows, cols]. */
  static INDArray binary(Random rnd, int rows, int cols) {
    double[][] y = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int c = 0; c < cols; c++) {
        y[i][c] = rnd.nextBoolean() ? 1 : 0;
      }
    }
    return Nd4j.createFromArray(y);
  }

  /** Per-example mask [rows, 1]: every third example masked out. */
  static INDArray perExampleMask(int rows) {
    double[][] m = new double[rows][1];
    for (int i = 0; i < rows; i++) {
      m[i][0] = i % 3 == 1 ? 0 : 1;
    }
    return Nd4j.createFromArray(m);
  }

  /** Per-output mask [rows, cols] of 0/1 with at least one 1 and one 0. */
  static INDArray perOutputMask(Random rnd, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int c = 0; c < cols; c++) {
        m[i][c] = rnd.nextDouble() < 0.7 ? 1 : 0;
      }
    }
    m[0][0] = 1;
    m[rows - 1][cols - 1] = 0;
    return Nd4j.createFromArray(m);
  }

  /** Boxed values, for AssertJ's iterable predicates. */
  static List<Double> list(double[] v) {
    return Arrays.stream(v).boxed().toList();
  }

  /** All values of an array as a flat double array. */
  static double[] values(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').reshape(a.length()).toDoubleVector();
  }
}
