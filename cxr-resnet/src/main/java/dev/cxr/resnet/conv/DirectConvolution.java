package dev.cxr.resnet.conv;

import dev.cxr.resnet.compat.LayerWiring;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 2-d convolution whose forward pass runs on {@link DirectConvForward} (oneDNN called with its
 * primitive cached per shape, instead of libnd4j's {@code conv2d}, which rebuilds it every call)
 * and whose training backward pass runs on {@link DirectConvBackprop} (oneDNN's direct algorithm)
 * instead of libnd4j's {@code conv2d_bp}, which picks Winograd on AVX-512 machines and is then
 * several times slower; see those classes for the measurements.
 *
 * <p>It is a subclass of DL4J's {@link ConvolutionLayer} configuration, so parameters, their
 * initialisation, shapes, serialisation and every {@code instanceof ConvolutionLayer} check are
 * DL4J's; only {@link #instantiate} differs. Saved models store this class name and reload as it.
 * Where the direct paths do not apply (the oneDNN helpers switched off, a non-float network, NHWC
 * data, dilation, a platform without the oneDNN library, or {@link
 * DirectConvForward#setEnabled(boolean)} / {@link DirectConvBackprop#setEnabled(boolean)} switched
 * off) the layer runs exactly as DL4J's.
 */
public class DirectConvolution extends ConvolutionLayer {

  /** For Jackson and DL4J's configuration copies; use {@link Builder}. */
  public DirectConvolution() {
    super();
  }

  private DirectConvolution(Builder builder) {
    super(builder);
  }

  @Override
  public Layer instantiate(
      NeuralNetConfiguration conf,
      Collection<TrainingListener> trainingListeners,
      int layerIndex,
      INDArray layerParamsView,
      boolean initializeParams,
      DataType networkDataType) {
    LayerValidation.assertNInNOutSet(
        "DirectConvolution", getLayerName(), layerIndex, getNIn(), getNOut());
    return LayerWiring.wire(
        new DirectConvolutionLayer(conf, networkDataType),
        conf,
        trainingListeners,
        layerIndex,
        layerParamsView,
        initializeParams);
  }

  @Override
  public DirectConvolution clone() {
    return (DirectConvolution) super.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DirectConvolution && super.equals(o);
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof DirectConvolution;
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + 1;
  }

  /** DL4J's convolution builder, building a {@link DirectConvolution}. */
  public static class Builder extends ConvolutionLayer.Builder {
    /**
     * @param kernelSize kernel height and width
     */
    public Builder(int... kernelSize) {
      super(kernelSize);
    }

    @Override
    public DirectConvolution build() {
      super.build(); // DL4J's kernel, stride and padding checks (the result is discarded)
      return new DirectConvolution(this);
    }
  }
}
