package dev.cxr.resnet.bn;

import java.util.Map;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The running mean and variance of {@link FusedBatchNormalizationLayer}, kept as DL4J keeps them:
 * parameters with a no-op updater, the variance stored directly or as log10 of the standard
 * deviation.
 */
final class RunningStatistics {

  private RunningStatistics() {}

  /**
   * DL4J's convention: the running statistics' "gradient" is what the no-op updater subtracts:
   * {@code (1 − decay)·(running − batch)} for the mean and the variance, or {@code log10(var /
   * var')/2} for the log10 standard deviation, {@code var' = decay · var + (1 − decay)·batchVar}.
   * Written into the layer's gradient views and recorded in {@code gradient}.
   */
  static void update(
      BatchNormalization conf,
      Function<String, INDArray> params,
      Map<String, INDArray> gradientViews,
      Gradient gradient,
      double[] mean,
      double[] var) {
    double decay = conf.getDecay();
    String meanKey = BatchNormalizationParamInitializer.GLOBAL_MEAN;
    double[] runningMean = params.apply(meanKey).toDoubleVector();
    double[] dMean = new double[mean.length];
    for (int c = 0; c < mean.length; c++) {
      dMean[c] = (runningMean[c] - mean[c]) * (1 - decay);
    }
    write(gradientViews.get(meanKey), dMean);
    gradient.setGradientFor(meanKey, gradientViews.get(meanKey));

    String varKey =
        conf.isUseLogStd()
            ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
            : BatchNormalizationParamInitializer.GLOBAL_VAR;
    double[] running = params.apply(varKey).toDoubleVector();
    double[] dVar = new double[var.length];
    for (int c = 0; c < var.length; c++) {
      if (conf.isUseLogStd()) {
        double runningVar = Math.pow(10, 2 * running[c]);
        double next = decay * runningVar + (1 - decay) * var[c];
        dVar[c] = 0.5 * Math.log10(runningVar / next);
      } else {
        dVar[c] = (running[c] - var[c]) * (1 - decay);
      }
    }
    write(gradientViews.get(varKey), dVar);
    gradient.setGradientFor(varKey, gradientViews.get(varKey));
  }

  /** The running variance as a rank-1 array of {@code type}. */
  static INDArray variance(
      BatchNormalization conf, Function<String, INDArray> params, long channels, DataType type) {
    if (!conf.isUseLogStd()) {
      return params.apply(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(channels);
    }
    double[] log10Std =
        params.apply(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).toDoubleVector();
    double[] var = new double[log10Std.length];
    for (int c = 0; c < var.length; c++) {
      var[c] = Math.pow(10, 2 * log10Std[c]);
    }
    return Nd4j.createFromArray(var).castTo(type);
  }

  private static void write(INDArray view, double[] values) {
    view.assign(Nd4j.createFromArray(values).castTo(view.dataType()).reshape(view.shape()));
  }
}
