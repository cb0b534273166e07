package dev.cxr.resnet.conv;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's convolution layer with {@link DirectConvHelper} in place of DL4J's oneDNN helper: the
 * forward pass goes to {@link DirectConvForward}, the backward pass to {@link DirectConvBackprop}
 * (each unless switched off when the layer was created).
 *
 * <p>In inference with a plain ReLU activation (the folded convolutions of the inference copy) the
 * ReLU runs inside the convolution primitive instead of as a second pass over the output.
 *
 * <p>For the identity activation (every ResNet convolution: batch norm follows) the backward pass
 * also skips what DL4J's layer does first: recompute the whole forward convolution to get the
 * pre-activation, which DL4J keeps only with a non-default cache mode and which the identity's
 * derivative does not need. That recomputation cost as much as the forward pass itself. Other
 * activations, NHWC data and the cases the helper does not cover go through DL4J's own code.
 */
public class DirectConvolutionLayer extends ConvolutionLayer {
  private static final ActivationReLU RELU = new ActivationReLU();

  /**
   * @param conf the layer's configuration
   * @param dataType the network's data type
   */
  public DirectConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
    // DL4J created its oneDNN helper only when the helpers are switched on; keep that choice
    boolean forward = DirectConvForward.isEnabled();
    boolean backward = DirectConvBackprop.isEnabled();
    if (helper instanceof MKLDNNConvHelper
        && dataType == DataType.FLOAT
        && (forward || backward)
        && OneDnn.available()) {
      helper = new DirectConvHelper(dataType, layerConf().hasBias(), forward, backward);
    }
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (training
        || !(helper instanceof DirectConvHelper direct)
        || !direct.directForward()
        || !RELU.equals(layerConf().getActivationFn())
        || layerConf().getIDropout() != null
        || input == null) {
      return super.activate(training, workspaceMgr);
    }
    direct.reluAfter(true);
    try {
      return preOutput(false, false, workspaceMgr).getFirst();
    } finally {
      direct.reluAfter(false);
    }
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(
      INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
    if (!(helper instanceof DirectConvHelper direct)
        || !direct.directBackward()
        || !(c.getActivationFn() instanceof ActivationIdentity)
        || c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    INDArray weights =
        getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
    INDArray bias =
        hasBias()
            ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr)
            : null;
    Pair<Gradient, INDArray> ret =
        direct.backpropGradient(
            input.castTo(dataType),
            weights,
            bias,
            epsilon.castTo(dataType), // identity: the output gradient is the pre-activation's
            c.getKernelSize(),
            c.getStride(),
            c.getPadding(),
            hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null,
            gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY),
            c.getActivationFn(),
            c.getCudnnAlgoMode(),
            c.getCudnnBwdFilterAlgo(),
            c.getCudnnBwdDataAlgo(),
            convolutionMode,
            c.getDilation(),
            CNN2DFormat.NCHW,
            workspaceMgr);
    weightNoiseParams.clear();
    ret.setSecond(backpropDropOutIfPresent(ret.getSecond()));
    return ret;
  }
}
