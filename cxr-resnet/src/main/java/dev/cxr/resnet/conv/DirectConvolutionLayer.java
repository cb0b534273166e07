package dev.cxr.resnet.conv;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's convolution layer with {@link DirectConvHelper} in place of DL4J's oneDNN helper: the
 * forward pass stays libnd4j's {@code conv2d}, the backward pass goes to {@link
 * DirectConvBackprop}. Everything else (activation, dropout, gradient views, fallbacks) is DL4J's
 * own code.
 */
public class DirectConvolutionLayer extends ConvolutionLayer {

  /**
   * @param conf the layer's configuration
   * @param dataType the network's data type
   */
  public DirectConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
    // DL4J created its oneDNN helper only when the helpers are switched on; keep that choice
    if (helper instanceof MKLDNNConvHelper
        && dataType == DataType.FLOAT
        && DirectConvBackprop.isEnabled()
        && DirectConvBackprop.available()) {
      helper = new DirectConvHelper(dataType);
    }
  }
}
