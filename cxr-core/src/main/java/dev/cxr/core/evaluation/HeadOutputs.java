package dev.cxr.core.evaluation;

import dev.cxr.core.data.CxrTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * How a task's network outputs become probabilities, and back: the binary task's softmax over
 * (negative, positive) or a multi-label task's sigmoid per finding, each finding's column from
 * {@link CxrTask#column(int)} and its temperature ({@link TemperatureScaling}) applied.
 */
final class HeadOutputs {
  private final CxrTask task;
  private final double[] temperatures;

  /**
   * @param task the task
   * @param temperatures one positive, finite temperature per finding
   */
  HeadOutputs(CxrTask task, double[] temperatures) {
    if (temperatures.length != task.findings().size()) {
      throw new IllegalArgumentException(
          "temperatures needs one value per finding ("
              + task.findings().size()
              + ") but got "
              + temperatures.length);
    }
    for (double t : temperatures) {
      if (!(t > 0) || Double.isInfinite(t)) {
        throw new IllegalArgumentException("temperature must be positive and finite but was " + t);
      }
    }
    this.task = task;
    this.temperatures = temperatures.clone();
  }

  /** The same temperature for every finding of a task. */
  static double[] uniform(CxrTask task, double temperature) {
    double[] t = new double[task.findings().size()];
    java.util.Arrays.fill(t, temperature);
    return t;
  }

  /** A copy of the temperatures, one per finding. */
  double[] temperatures() {
    return temperatures.clone();
  }

  /** Finding {@code f}'s probability in row {@code r} of the outputs, temperature applied. */
  double probability(INDArray y, int r, int f) {
    return TemperatureScaling.apply(y.getDouble(r, task.column(f)), temperatures[f]);
  }

  /** The head's activation: a softmax over the binary task's classes, else one sigmoid each. */
  IActivation activation() {
    return (task.multiLabel() ? Activation.SIGMOID : Activation.SOFTMAX).getActivationFunction();
  }

  /**
   * Pre-activations that give back the probabilities, so the configured loss can be computed from
   * them: softmax(log p) = p for the binary task's softmax, sigmoid(log(p / (1 - p))) = p for each
   * sigmoid output.
   */
  INDArray preOutput(INDArray p) {
    if (!task.multiLabel()) {
      return Transforms.log(Transforms.max(p, 1e-10, true), false);
    }
    INDArray clipped = Transforms.min(Transforms.max(p, 1e-7, true), 1 - 1e-7, false);
    INDArray complement = clipped.rsub(1.0);
    return Transforms.log(clipped, true).subi(Transforms.log(complement, false));
  }

  /**
   * One map per row of network outputs, temperature applied: for the binary task, label name to
   * probability (the positive probability and its complement); for a multi-label task, finding to
   * probability.
   */
  List<Map<String, Double>> probabilities(INDArray y) {
    List<String> names = task.labelNames();
    List<Map<String, Double>> out = new ArrayList<>((int) y.rows());
    for (int r = 0; r < y.rows(); r++) {
      Map<String, Double> m = new LinkedHashMap<>();
      if (task.multiLabel()) {
        for (int f = 0; f < task.findings().size(); f++) {
          m.put(names.get(f), probability(y, r, f));
        }
      } else {
        // two classes: the positive probability scaled, the other its complement
        double t = temperatures[0];
        double p = probability(y, r, 0);
        for (int c = 0; c < names.size(); c++) {
          double scaled = c == task.positiveColumn() ? p : 1 - p;
          m.put(names.get(c), t == 1 ? y.getDouble(r, c) : scaled);
        }
      }
      out.add(m);
    }
    return out;
  }
}
