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
 * DL4J's oneDNN convolution helper with the backward pass replaced by {@link DirectConvBackprop};
 * the forward pass and every case the direct path does not cover (NHWC, dilation, non-float) stay
 * DL4J's. A subclass, so DL4J's layer treats it exactly as its own helper (no dummy bias).
 */
public class DirectConvHelper extends MKLDNNConvHelper {

  /**
   * @param dataType the network's data type
   */
  public DirectConvHelper(DataType dataType) {
    super(dataType);
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
    if (format != CNN2DFormat.NCHW
        || dilation[0] != 1
        || dilation[1] != 1
        || input.dataType() != DataType.FLOAT
        || weights.dataType() != DataType.FLOAT
        || delta.dataType() != DataType.FLOAT) {
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
    long oh = delta.size(2);
    long ow = delta.size(3);
    int[] p = pad;
    if (convolutionMode == ConvolutionMode.Same) {
      p =
          ConvolutionUtils.getSameModeTopLeftPadding(
              new int[] {(int) oh, (int) ow},
              new int[] {(int) input.size(2), (int) input.size(3)},
              kernel,
              strides,
              dilation);
    }
    DirectConvBackprop.Geometry g =
        new DirectConvBackprop.Geometry(
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
            oh,
            ow,
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
