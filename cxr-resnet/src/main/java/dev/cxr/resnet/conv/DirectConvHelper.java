package dev.cxr.resnet.conv;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's oneDNN convolution helper with the forward pass replaced by {@link DirectConvForward} and
 * the backward pass by {@link DirectConvBackprop} (each where switched on); every case the direct
 * path does not cover (NHWC, dilation, non-float) stays DL4J's. A subclass, so DL4J's layer treats
 * it exactly as its own helper.
 */
public class DirectConvHelper extends MKLDNNConvHelper {
  private final boolean layerHasBias;
  private final boolean directForward;
  private final boolean directBackward;
  private boolean reluAfter;

  /**
   * @param dataType the network's data type
   * @param layerHasBias whether the layer has a bias (DL4J passes an all-zero one when it has not)
   * @param directForward whether the forward pass runs on {@link DirectConvForward}
   * @param directBackward whether the backward pass runs on {@link DirectConvBackprop}
   */
  public DirectConvHelper(
      DataType dataType, boolean layerHasBias, boolean directForward, boolean directBackward) {
    super(dataType);
    this.layerHasBias = layerHasBias;
    this.directForward = directForward;
    this.directBackward = directBackward;
  }

  /** Whether the backward pass runs on {@link DirectConvBackprop}. */
  boolean directBackward() {
    return directBackward;
  }

  /** Whether the forward pass runs on {@link DirectConvForward}. */
  boolean directForward() {
    return directForward;
  }

  /**
   * Makes the next {@link #preOutput} call apply a ReLU inside the convolution (oneDNN's post-op);
   * the layer sets it around one inference call and clears it after.
   */
  void reluAfter(boolean on) {
    reluAfter = on;
  }

  @Override
  public INDArray preOutput(
      INDArray input,
      INDArray weights,
      INDArray bias,
      int[] kernel,
      int[] strides,
      int[] pad,
      org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode mode,
      org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo fwdAlgo,
      ConvolutionMode convolutionMode,
      int[] dilation,
      CNN2DFormat format,
      LayerWorkspaceMgr workspaceMgr) {
    if (!directForward || !covered(format, dilation, input, weights)) {
      return super.preOutput(
          input,
          weights,
          bias,
          kernel,
          strides,
          pad,
          mode,
          fwdAlgo,
          convolutionMode,
          dilation,
          format,
          workspaceMgr);
    }
    int[] outSize =
        ConvolutionUtils.getOutputSize(
            input,
            kernel,
            strides,
            convolutionMode == ConvolutionMode.Same ? null : pad,
            convolutionMode,
            dilation,
            format);
    DirectConvBackprop.Geometry g =
        geometry(
            input, weights, kernel, strides, pad, convolutionMode, dilation, outSize, layerHasBias);
    INDArray out =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATIONS,
            DataType.FLOAT,
            input.size(0),
            weights.size(0),
            outSize[0],
            outSize[1]);
    DirectConvForward.forward(g, reluAfter, input, weights, layerHasBias ? bias : null, out);
    return out;
  }

  /**
   * The geometry of a convolution of NCHW {@code input} with {@code weights} giving {@code
   * outSize}; in SAME mode the top/left padding is DL4J's for that output size.
   */
  private static DirectConvBackprop.Geometry geometry(
      INDArray input,
      INDArray weights,
      int[] kernel,
      int[] strides,
      int[] pad,
      ConvolutionMode convolutionMode,
      int[] dilation,
      int[] outSize,
      boolean bias) {
    int[] p =
        convolutionMode == ConvolutionMode.Same
            ? ConvolutionUtils.getSameModeTopLeftPadding(
                outSize,
                new int[] {(int) input.size(2), (int) input.size(3)},
                kernel,
                strides,
                dilation)
            : pad;
    return new DirectConvBackprop.Geometry(
        input.size(0),
        input.size(1),
        input.size(2),
        input.size(3),
        weights.size(0),
        kernel[0],
        kernel[1],
        strides[0],
        strides[1],
        p[0],
        p[1],
        outSize[0],
        outSize[1],
        bias);
  }

  /** The cases the direct passes take: NCHW, no dilation, float32 arrays. */
  private static boolean covered(CNN2DFormat format, int[] dilation, INDArray... arrays) {
    if (format != CNN2DFormat.NCHW || dilation[0] != 1 || dilation[1] != 1) {
      return false;
    }
    for (INDArray a : arrays) {
      if (a.dataType() != DataType.FLOAT) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray input,
      INDArray weights,
      INDArray bias,
      INDArray delta,
      int[] kernel,
      int[] strides,
      int[] pad,
      INDArray biasGradView,
      INDArray weightGradView,
      IActivation afn,
      org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode mode,
      org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo bwdFilterAlgo,
      org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo bwdDataAlgo,
      ConvolutionMode convolutionMode,
      int[] dilation,
      CNN2DFormat format,
      LayerWorkspaceMgr workspaceMgr) {
    if (!directBackward || !covered(format, dilation, input, weights, delta)) {
      return super.backpropGradient(
          input,
          weights,
          bias,
          delta,
          kernel,
          strides,
          pad,
          biasGradView,
          weightGradView,
          afn,
          mode,
          bwdFilterAlgo,
          bwdDataAlgo,
          convolutionMode,
          dilation,
          format,
          workspaceMgr);
    }
    int[] outSize = {(int) delta.size(2), (int) delta.size(3)};
    DirectConvBackprop.Geometry g =
        geometry(
            input,
            weights,
            kernel,
            strides,
            pad,
            convolutionMode,
            dilation,
            outSize,
            biasGradView != null);
    INDArray gradAtInput =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
    DirectConvBackprop.backward(
        g, input, weights, delta, gradAtInput, weightGradView, biasGradView);
    Gradient gradient = new DefaultGradient();
    if (biasGradView != null) {
      gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
    }
    gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
    return new Pair<>(gradient, gradAtInput);
  }
}
