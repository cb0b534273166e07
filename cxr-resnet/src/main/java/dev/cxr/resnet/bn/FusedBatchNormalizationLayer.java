package dev.cxr.resnet.bn;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layer of {@link FusedBatchNormalization}: DL4J's batch normalisation, computed with fewer
 * passes over the activations than DL4J's {@code MKLDNNBatchNormHelper}.
 *
 * <p>Forward (training): batch mean and biased variance (two reductions, as DL4J), then libnd4j's
 * {@code batchnorm} op (oneDNN for float) straight into the output array, then the fused ReLU in
 * place. Inference uses the running statistics.
 *
 * <p>Backward: libnd4j's {@code batchnorm_bp} runs oneDNN's backward with the statistics treated as
 * constants and then adds the terms through the batch mean and variance with about eight more
 * passes and three temporary arrays (see its {@code mkldnn/batchnorm.cpp}). Here, with {@code g}
 * the incoming gradient (masked by the ReLU when fused), {@code s = 1/sqrt(var + eps)} and {@code
 * N} elements per channel, only two per-channel sums are taken over the activations, {@code Σg} and
 * {@code Σg·x} (one fused {@code Dot} reduction), and
 *
 * <pre>
 *   dγ = s·(Σg·x − μ·Σg),  dβ = Σg
 *   dx = γ·s·g − γ·s³·(x − μ)·(Σg·(x − μ))/N − γ·s·Σg/N
 * </pre>
 *
 * where the last two terms are a per-channel affine function of {@code x}, computed by the same
 * oneDNN {@code batchnorm} op with a substituted scale and shift, and the first is one broadcast
 * multiply and one add. Running statistics are updated exactly as DL4J does: through "gradients" of
 * the running mean and log10 standard deviation (or variance) that the no-op updater subtracts.
 */
public class FusedBatchNormalizationLayer extends BatchNormalization {

  /** Batch mean and variance of the last training forward pass, outside any workspace. */
  private INDArray batchMean;

  private INDArray batchVar;

  /** Output of the last training forward pass (after ReLU); needed for the ReLU's backward. */
  private INDArray lastOutput;

  /**
   * Creates the layer; called by {@link FusedBatchNormalization#instantiate}.
   *
   * @param conf the layer's network configuration
   * @param dataType network data type
   */
  public FusedBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
    if (layerConf().isLockGammaBeta()) {
      throw new IllegalArgumentException(
          "FusedBatchNormalization layer "
              + layerConf().getLayerName()
              + " does not support lockGammaBeta; use DL4J's BatchNormalization");
    }
  }

  private boolean relu() {
    return ((FusedBatchNormalization) layerConf()).isRelu();
  }

  /** No DL4J helper: this layer calls the native ops itself. */
  @Override
  public LayerHelper getHelper() {
    return null;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    return preOutput(input, training ? TrainingMode.TRAIN : TrainingMode.TEST, workspaceMgr);
  }

  @Override
  public INDArray preOutput(INDArray x, TrainingMode training, LayerWorkspaceMgr workspaceMgr) {
    int axis = channelAxis(x);
    long channels = x.size(axis);
    if (channels != layerConf().getNOut()) {
      throw new IllegalArgumentException(
          "input.size("
              + axis
              + ") does not match the "
              + layerConf().getNOut()
              + " channels of "
              + layerId()
              + ": input shape "
              + Arrays.toString(x.shape()));
    }
    x = contiguous(x.castTo(dataType));
    INDArray mean;
    INDArray var;
    if (training == TrainingMode.TRAIN) {
      if (batchMean == null || batchMean.length() != channels) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
          batchMean = Nd4j.createUninitialized(dataType, channels);
          batchVar = Nd4j.createUninitialized(dataType, channels);
        }
      }
      int[] dims = reductionDims(x.rank(), axis);
      x.mean(batchMean, dims);
      Nd4j.exec(new Variance(x, batchVar, false, dims));
      mean = batchMean;
      var = batchVar;
    } else {
      mean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(channels);
      var = runningVariance(channels);
    }
    INDArray out =
        workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
    batchNorm(
        x,
        mean,
        var,
        getParam(BatchNormalizationParamInitializer.GAMMA).reshape(channels),
        getParam(BatchNormalizationParamInitializer.BETA).reshape(channels),
        out,
        axis);
    if (relu()) {
      Nd4j.exec(new RectifiedLinear(out, out));
    }
    lastOutput = training == TrainingMode.TRAIN ? out : null;
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    if (batchMean == null) {
      throw new IllegalStateException("backprop of " + layerId() + " without a training forward");
    }
    INDArray x = contiguous(input.castTo(dataType));
    int axis = channelAxis(x);
    int channels = (int) x.size(axis);
    int[] dims = reductionDims(x.rank(), axis);
    double n = (double) x.length() / channels;

    // g: gradient at the BN output; our own buffer when the ReLU mask is applied (it is then
    // reused for the γ·s·g term), otherwise the caller's array, which must stay untouched.
    INDArray g;
    boolean ownBuffer = relu();
    if (ownBuffer) {
      if (lastOutput == null) {
        throw new IllegalStateException(
            "backprop of " + layerId() + " without the output of a training forward");
      }
      g = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), 'c');
      Nd4j.exec(new RectifiedLinearDerivative(lastOutput, epsilon, g));
    } else {
      g = contiguous(epsilon);
    }
    double[] sumG = g.sum(dims).toDoubleVector();
    INDArray dotGx = Nd4j.exec(new Dot(g, x, dims));
    double[] sumGx = dotGx.toDoubleVector();
    double[] mean = batchMean.toDoubleVector();
    double[] var = batchVar.toDoubleVector();
    double[] gamma =
        getParam(BatchNormalizationParamInitializer.GAMMA).reshape(channels).toDoubleVector();
    double eps = layerConf().getEps();

    double[] dGamma = new double[channels];
    double[] scaleG = new double[channels]; // γ·s, multiplies g
    double[] affineScale = new double[channels]; // scale for batchnorm(x): −γ·s²·Σg(x−μ)/N
    double[] affineShift = new double[channels]; // shift for batchnorm(x): −γ·s·Σg/N
    for (int c = 0; c < channels; c++) {
      double s = 1.0 / Math.sqrt(var[c] + eps);
      double sumGxm = sumGx[c] - mean[c] * sumG[c];
      dGamma[c] = s * sumGxm;
      scaleG[c] = gamma[c] * s;
      affineScale[c] = -gamma[c] * s * s * sumGxm / n;
      affineShift[c] = -gamma[c] * s * sumG[c] / n;
    }

    INDArray dx =
        workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    batchNorm(x, batchMean, batchVar, vector(affineScale), vector(affineShift), dx, axis);
    INDArray scaledG =
        ownBuffer
            ? g
            : workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), 'c');
    Nd4j.exec(new BroadcastMulOp(g, vector(scaleG), scaledG, axis));
    dx.addi(scaledG);

    INDArray dGammaView = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
    INDArray dBetaView = gradientViews.get(BatchNormalizationParamInitializer.BETA);
    dGammaView.assign(vector(dGamma).reshape(dGammaView.shape()));
    dBetaView.assign(vector(sumG).reshape(dBetaView.shape()));
    Gradient gradient = new DefaultGradient();
    gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
    gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
    runningStatisticsUpdate(gradient, mean, var);
    lastOutput = null;
    return new Pair<>(gradient, dx);
  }

  /**
   * DL4J's convention: the running statistics are parameters with a no-op updater, and their
   * "gradient" is what is subtracted: {@code (1 − decay)·(running − batch)} for the mean and the
   * variance, or {@code log10(var / var')/2} for the log10 standard deviation, {@code var' = decay
   * · var + (1 − decay)·batchVar}.
   */
  private void runningStatisticsUpdate(Gradient gradient, double[] mean, double[] var) {
    double decay = layerConf().getDecay();
    String meanKey = BatchNormalizationParamInitializer.GLOBAL_MEAN;
    double[] runningMean = getParam(meanKey).toDoubleVector();
    double[] dMean = new double[mean.length];
    for (int c = 0; c < mean.length; c++) {
      dMean[c] = (runningMean[c] - mean[c]) * (1 - decay);
    }
    INDArray dMeanView = gradientViews.get(meanKey);
    dMeanView.assign(vector(dMean).reshape(dMeanView.shape()));
    gradient.setGradientFor(meanKey, dMeanView);

    String varKey =
        layerConf().isUseLogStd()
            ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
            : BatchNormalizationParamInitializer.GLOBAL_VAR;
    double[] running = getParam(varKey).toDoubleVector();
    double[] dVar = new double[var.length];
    for (int c = 0; c < var.length; c++) {
      if (layerConf().isUseLogStd()) {
        double runningVar = Math.pow(10, 2 * running[c]);
        double next = decay * runningVar + (1 - decay) * var[c];
        dVar[c] = 0.5 * Math.log10(runningVar / next);
      } else {
        dVar[c] = (running[c] - var[c]) * (1 - decay);
      }
    }
    INDArray dVarView = gradientViews.get(varKey);
    dVarView.assign(vector(dVar).reshape(dVarView.shape()));
    gradient.setGradientFor(varKey, dVarView);
  }

  /** Running variance as a rank-1 array: stored directly or as log10 of the standard deviation. */
  private INDArray runningVariance(long channels) {
    if (!layerConf().isUseLogStd()) {
      return getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(channels);
    }
    double[] log10Std =
        getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).toDoubleVector();
    double[] var = new double[log10Std.length];
    for (int c = 0; c < var.length; c++) {
      var[c] = Math.pow(10, 2 * log10Std[c]);
    }
    return vector(var);
  }

  /** {@code out = gamma·(x − mean)/sqrt(var + eps) + beta} per channel (oneDNN for float). */
  private void batchNorm(
      INDArray x,
      INDArray mean,
      INDArray var,
      INDArray gamma,
      INDArray beta,
      INDArray out,
      int axis) {
    Nd4j.exec(
        DynamicCustomOp.builder("batchnorm")
            .addInputs(x, mean, var, gamma, beta)
            .addOutputs(out)
            .addIntegerArguments(1, 1, axis)
            .addFloatingPointArguments(layerConf().getEps())
            .build());
  }

  /**
   * {@code a} itself when it has default C strides, else a C-ordered copy. libnd4j's reductions
   * along dimensions give wrong results on some permuted views (DL4J's built-in convolution returns
   * one); the oneDNN helpers' outputs are C-ordered already, so this costs nothing there.
   */
  private static INDArray contiguous(INDArray a) {
    return Shape.hasDefaultStridesForShape(a) ? a : a.dup('c');
  }

  private INDArray vector(double[] values) {
    return Nd4j.createFromArray(values).castTo(dataType);
  }

  private int channelAxis(INDArray x) {
    return switch (x.rank()) {
      case 2 -> 1;
      case 4 -> layerConf().getCnn2DFormat() == CNN2DFormat.NCHW ? 1 : 3;
      default ->
          throw new IllegalArgumentException(
              layerId()
                  + " expects rank-2 or rank-4 input but got shape "
                  + Arrays.toString(x.shape()));
    };
  }

  private static int[] reductionDims(int rank, int axis) {
    if (rank == 2) {
      return new int[] {0};
    }
    return axis == 1 ? new int[] {0, 2, 3} : new int[] {0, 1, 2};
  }

  @Override
  public void clear() {
    super.clear();
    lastOutput = null;
  }
}
