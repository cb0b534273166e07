package dev.cxr.resnet.compat;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every DL4J layer configuration's {@code instantiate} does after creating its layer object
 * (listeners, index, parameter view and table, configuration), for cxr's configuration subclasses
 * that create their own layer classes.
 */
public final class LayerWiring {
  private LayerWiring() {}

  /**
   * Wires a new layer as DL4J's own {@code instantiate} methods do.
   *
   * @param layer the new layer object
   * @param conf the layer's configuration
   * @param listeners training listeners
   * @param index the layer's index in the network
   * @param paramsView the layer's slice of the network's parameters
   * @param initializeParams whether to initialise the parameters (false when restoring)
   * @param <L> the layer type
   * @return {@code layer}
   */
  public static <L extends Layer> L wire(
      L layer,
      NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners,
      int index,
      INDArray paramsView,
      boolean initializeParams) {
    layer.setListeners(listeners);
    layer.setIndex(index);
    layer.setParamsViewArray(paramsView);
    layer.setParamTable(conf.getLayer().initializer().init(conf, paramsView, initializeParams));
    layer.setConf(conf);
    return layer;
  }
}
