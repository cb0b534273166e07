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
 * <p>Float NCHW activations run on {@link BatchNormKernel}: two passes forward in training (one in
 * inference), two backward, with the formulas below. Otherwise (and with the kernel switched off):
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
    if (BatchNormKernel.applies(axis == 1, x)) {
      return kernelForward(x, training == TrainingMode.TRAIN, (int) channels, workspaceMgr);
    }
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

    boolean ownBuffer = relu();
    if (ownBuffer && lastOutput == null) {
      throw new IllegalStateException(
          "backprop of " + layerId() + " without the output of a training forward");
    }
    INDArray upstream = contiguous(epsilon);
    INDArray[] kernelArrays =
        ownBuffer ? new INDArray[] {x, upstream, lastOutput} : new INDArray[] {x, upstream};
    if (BatchNormKernel.applies(axis == 1, kernelArrays)) {
      return kernelBackward(x, upstream, ownBuffer ? lastOutput : null, channels, workspaceMgr);
    }
    // g: gradient at the BN output; our own buffer when the ReLU mask is applied (it is then
    // reused for the γ·s·g term), otherwise the caller's array, which must stay untouched.
    INDArray g;
    if (ownBuffer) {
      g = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, x.shape(), 'c');
      Nd4j.exec(new RectifiedLinearDerivative(lastOutput, upstream, g));
    } else {
      g = upstream;
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

    return new Pair<>(parameterGradients(dGamma, sumG, mean, var), dx);
  }

  /**
   * The forward pass on {@link BatchNormKernel}: in training the batch statistics, then one affine
   * (+ ReLU) pass; in inference that pass with the running statistics (libnd4j's {@code batchnorm}
   * op there made DenseNet-121's unfolded inference 1.7x slower: 15.8 against 27.1 img/s at 128 px,
   * batch 32; its batch norms read the growing concatenations and cannot be folded).
   */
  private INDArray kernelForward(
      INDArray x, boolean train, int channels, LayerWorkspaceMgr workspaceMgr) {
    float[] mean = new float[channels];
    float[] var = new float[channels];
    if (train) {
      BatchNormKernel.statistics(x, mean, var);
      try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        batchMean = Nd4j.createFromArray(mean);
        batchVar = Nd4j.createFromArray(var);
      }
    } else {
      double[] m = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).toDoubleVector();
      double[] v = runningVariance(channels).toDoubleVector();
      for (int c = 0; c < channels; c++) {
        mean[c] = (float) m[c];
        var[c] = (float) v[c];
      }
    }
    double[] gamma = getParam(BatchNormalizationParamInitializer.GAMMA).toDoubleVector();
    double[] beta = getParam(BatchNormalizationParamInitializer.BETA).toDoubleVector();
    double eps = layerConf().getEps();
    float[] a = new float[channels];
    float[] b = new float[channels];
    for (int c = 0; c < channels; c++) {
      double scale = gamma[c] / Math.sqrt(var[c] + eps);
      a[c] = (float) scale;
      b[c] = (float) (beta[c] - mean[c] * scale);
    }
    INDArray out =
        workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
    BatchNormKernel.affine(x, a, b, relu(), out);
    lastOutput = train ? out : null;
    return out;
  }

  /**
   * The backward pass on {@link BatchNormKernel}: the two sums in one pass (the ReLU mask read from
   * {@code mask}, the kept output, when not null), then {@code dx} in one pass.
   */
  private Pair<Gradient, INDArray> kernelBackward(
      INDArray x, INDArray g, INDArray mask, int channels, LayerWorkspaceMgr workspaceMgr) {
    double n = (double) x.length() / channels;
    double[] sumG = new double[channels];
    double[] sumGx = new double[channels];
    BatchNormKernel.sums(g, mask, x, sumG, sumGx);
    double[] mean = batchMean.toDoubleVector();
    double[] var = batchVar.toDoubleVector();
    double[] gamma = getParam(BatchNormalizationParamInitializer.GAMMA).toDoubleVector();
    double eps = layerConf().getEps();
    double[] dGamma = new double[channels];
    float[] mu = new float[channels];
    float[] k = new float[channels]; // γ·s, multiplies g
    float[] kx = new float[channels]; // −γ·s³·Σg(x−μ)/N, multiplies x − μ
    float[] k0 = new float[channels]; // −γ·s·Σg/N
    for (int c = 0; c < channels; c++) {
      double s = 1.0 / Math.sqrt(var[c] + eps);
      double sumGxm = sumGx[c] - mean[c] * sumG[c];
      dGamma[c] = s * sumGxm;
      mu[c] = (float) mean[c];
      k[c] = (float) (gamma[c] * s);
      kx[c] = (float) (-gamma[c] * s * s * s * sumGxm / n);
      k0[c] = (float) (-gamma[c] * s * sumG[c] / n);
    }
    INDArray dx =
        workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
    BatchNormKernel.gradient(g, mask, x, mu, k, kx, k0, dx);
    return new Pair<>(parameterGradients(dGamma, sumG, mean, var), dx);
  }

  /** dγ, dβ and the running statistics' "gradients" into the gradient views. */
  private Gradient parameterGradients(double[] dGamma, double[] sumG, double[] mean, double[] var) {
    INDArray dGammaView = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
    INDArray dBetaView = gradientViews.get(BatchNormalizationParamInitializer.BETA);
    dGammaView.assign(vector(dGamma).reshape(dGammaView.shape()));
    dBetaView.assign(vector(sumG).reshape(dBetaView.shape()));
    Gradient gradient = new DefaultGradient();
    gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
    gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
    RunningStatistics.update(layerConf(), this::getParam, gradientViews, gradient, mean, var);
    lastOutput = null;
    return gradient;
  }

  /** Running variance as a rank-1 array: stored directly or as log10 of the standard deviation. */
  private INDArray runningVariance(long channels) {
    return RunningStatistics.variance(layerConf(), this::getParam, channels, dataType);
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
