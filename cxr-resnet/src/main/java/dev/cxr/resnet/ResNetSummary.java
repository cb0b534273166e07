package dev.cxr.resnet;

import dev.cxr.resnet.conv.DirectConvolution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongBiFunction;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer table of a network: per vertex its output shape, parameters and forward multiply-adds, with
 * totals. Made for the residual networks of He et al. (2015, arXiv 1512.03385; 2016, arXiv
 * 1603.05027) built by {@link ResNets}, it reads any DL4J {@link ComputationGraphConfiguration},
 * among them the DenseNets of Huang et al. (2017, arXiv 1608.06993) built by {@link DenseNets}
 * ({@link #of(DenseNetConfig)}).
 *
 * <p>Definitions:
 *
 * <ul>
 *   <li>total parameters: as DL4J counts them, i.e. including batch-normalisation running mean and
 *       variance;
 *   <li>trainable parameters: total minus BN running statistics and minus frozen layers (those are
 *       not moved by gradients);
 *   <li>forward multiply-adds: convolutions ({@code Hout * Wout * Cout * Cin * kH * kW}) and dense
 *       layers ({@code nIn * nOut}) for one example; BN, activations, pooling and additions are not
 *       counted (the usual convention for ResNet FLOP figures).
 * </ul>
 *
 * @param rows one row per vertex, the input first, in the order the graph was built
 * @param trainableParameters parameters updated by backpropagation
 * @param totalParameters all parameters DL4J stores
 * @param forwardMultiplyAdds multiply-adds of one forward pass of one example
 */
public record ResNetSummary(
    List<Row> rows, long trainableParameters, long totalParameters, long forwardMultiplyAdds) {

  /**
   * Non-trainable parameter keys per layer configuration class and its subclasses (running
   * statistics).
   */
  private static final Map<Class<? extends Layer>, Set<String>> RUNNING_STATISTICS =
      Map.of(
          BatchNormalization.class,
          Set.of(
              BatchNormalizationParamInitializer.GLOBAL_MEAN,
              BatchNormalizationParamInitializer.GLOBAL_VAR,
              BatchNormalizationParamInitializer.GLOBAL_LOG_STD));

  /** Layer configuration classes whose parameters never receive gradient updates. */
  private static final Set<Class<? extends Layer>> FROZEN =
      Set.of(FrozenLayer.class, FrozenLayerWithBackprop.class);

  /** Multiply-adds of one forward pass, per layer configuration class (exact class). */
  private static final Map<Class<? extends Layer>, ToLongBiFunction<Layer, InputType>>
      MULTIPLY_ADDS =
          Map.of(
              ConvolutionLayer.class,
              ResNetSummary::convolutionMultiplyAdds,
              DirectConvolution.class,
              ResNetSummary::convolutionMultiplyAdds,
              DenseLayer.class,
              ResNetSummary::denseMultiplyAdds,
              OutputLayer.class,
              ResNetSummary::denseMultiplyAdds);

  /**
   * One vertex of the graph.
   *
   * @param name vertex name
   * @param type layer or vertex class, e.g. {@code ConvolutionLayer}, {@code ElementWiseVertex}
   * @param outputShape activation shape of one example (channels, height, width for images)
   * @param parameters all parameters of the vertex
   * @param trainableParameters parameters updated by backpropagation
   * @param multiplyAdds forward multiply-adds for one example
   */
  public record Row(
      String name,
      String type,
      List<Long> outputShape,
      long parameters,
      long trainableParameters,
      long multiplyAdds) {

    /**
     * Rejects nulls and copies the shape.
     *
     * @param name vertex name
     * @param type layer or vertex class name
     * @param outputShape activation shape of one example
     * @param parameters all parameters
     * @param trainableParameters parameters updated by backpropagation
     * @param multiplyAdds forward multiply-adds for one example
     */
    public Row {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      outputShape = List.copyOf(Objects.requireNonNull(outputShape, "outputShape"));
    }

    /**
     * The shape as text, e.g. {@code 64x56x56}.
     *
     * @return dimensions joined by {@code x}
     */
    public String shapeText() {
      return String.join("x", outputShape.stream().map(String::valueOf).toList());
    }
  }

  /**
   * Rejects null and copies the rows.
   *
   * @param rows one row per vertex
   * @param trainableParameters parameters updated by backpropagation
   * @param totalParameters all parameters
   * @param forwardMultiplyAdds multiply-adds of one forward pass of one example
   */
  public ResNetSummary {
    rows = List.copyOf(Objects.requireNonNull(rows, "rows"));
  }

  /**
   * Summary of the network {@code config} describes, without allocating it.
   *
   * @param config network description
   * @return the summary
   */
  public static ResNetSummary of(ResNetConfig config) {
    Objects.requireNonNull(config, "config");
    return of(
        ResNets.configuration(config),
        InputType.convolutional(config.inputHeight(), config.inputWidth(), config.inputChannels()));
  }

  /**
   * Summary of the DenseNet {@code config} describes, without allocating it.
   *
   * @param config network description
   * @return the summary
   */
  public static ResNetSummary of(DenseNetConfig config) {
    Objects.requireNonNull(config, "config");
    return of(
        DenseNets.configuration(config),
        InputType.convolutional(config.inputHeight(), config.inputWidth(), config.inputChannels()));
  }

  /**
   * Summary of a configuration, without allocating parameters. The configuration is not modified.
   *
   * @param configuration graph configuration
   * @param inputTypes one type per network input (DL4J does not store them in the configuration)
   * @return the summary
   */
  public static ResNetSummary of(
      ComputationGraphConfiguration configuration, InputType... inputTypes) {
    Objects.requireNonNull(configuration, "configuration");
    return build(configuration, inputTypes, null);
  }

  /**
   * Summary of an initialised network; parameter counts are read from its parameter arrays.
   *
   * @param graph initialised network
   * @param inputTypes one type per network input
   * @return the summary
   * @throws IllegalStateException when the graph is not initialised
   */
  public static ResNetSummary of(ComputationGraph graph, InputType... inputTypes) {
    Objects.requireNonNull(graph, "graph");
    if (graph.getVertices() == null) {
      throw new IllegalStateException("graph must be initialised (call init()) before a summary");
    }
    return build(graph.getConfiguration(), inputTypes, graph);
  }

  private static ResNetSummary build(
      ComputationGraphConfiguration configuration, InputType[] inputTypes, ComputationGraph graph) {
    Objects.requireNonNull(inputTypes, "inputTypes");
    // getLayerActivationTypes sets nIn and preprocessors: work on a copy
    ComputationGraphConfiguration copy = configuration.clone();
    Map<String, InputType> outputTypes = copy.getLayerActivationTypes(true, false, inputTypes);
    List<Row> rows = new ArrayList<>();
    for (String input : copy.getNetworkInputs()) {
      rows.add(new Row(input, "Input", shape(outputTypes.get(input)), 0, 0, 0));
    }
    long trainable = 0;
    long total = 0;
    long macs = 0;
    for (Map.Entry<String, GraphVertex> e : copy.getVertices().entrySet()) {
      String name = e.getKey();
      InputType out = outputTypes.get(name);
      Row row =
          e.getValue() instanceof LayerVertex lv
              ? layerRow(name, lv.getLayerConf().getLayer(), out, graph)
              : new Row(
                  name,
                  e.getValue().getClass().getSimpleName(),
                  shape(out),
                  e.getValue().numParams(false),
                  e.getValue().numParams(false),
                  0);
      rows.add(row);
      trainable += row.trainableParameters();
      total += row.parameters();
      macs += row.multiplyAdds();
    }
    return new ResNetSummary(rows, trainable, total, macs);
  }

  /** Running-statistics keys of {@code layer}; subclasses (cxr's fused batch norm) included. */
  private static Set<String> runningStatistics(Layer layer) {
    return RUNNING_STATISTICS.entrySet().stream()
        .filter(e -> e.getKey().isInstance(layer))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(Set.of());
  }

  private static Row layerRow(String name, Layer layer, InputType out, ComputationGraph graph) {
    long params;
    long nonTrainable;
    Set<String> statistics = runningStatistics(layer);
    if (graph != null) {
      Map<String, INDArray> table = graph.getLayer(name).paramTable();
      params = table.values().stream().mapToLong(INDArray::length).sum();
      nonTrainable =
          FROZEN.contains(layer.getClass())
              ? params
              : table.entrySet().stream()
                  .filter(t -> statistics.contains(t.getKey()))
                  .mapToLong(t -> t.getValue().length())
                  .sum();
    } else {
      params = layer.initializer().numParams(layer);
      long perKey = layer instanceof FeedForwardLayer ff ? ff.getNOut() : 0;
      nonTrainable =
          FROZEN.contains(layer.getClass())
              ? params
              : layer.initializer().paramKeys(layer).stream().filter(statistics::contains).count()
                  * perKey;
    }
    ToLongBiFunction<Layer, InputType> rule = MULTIPLY_ADDS.get(layer.getClass());
    long macs = rule == null ? 0 : rule.applyAsLong(layer, out);
    return new Row(
        name, layer.getClass().getSimpleName(), shape(out), params, params - nonTrainable, macs);
  }

  private static long convolutionMultiplyAdds(Layer layer, InputType out) {
    ConvolutionLayer conv = (ConvolutionLayer) layer;
    InputType.InputTypeConvolutional o = (InputType.InputTypeConvolutional) out;
    int[] k = conv.getKernelSize();
    return o.getHeight() * o.getWidth() * conv.getNOut() * conv.getNIn() * k[0] * k[1];
  }

  private static long denseMultiplyAdds(Layer layer, InputType out) {
    FeedForwardLayer ff = (FeedForwardLayer) layer;
    return ff.getNIn() * ff.getNOut();
  }

  private static List<Long> shape(InputType type) {
    if (type instanceof InputType.InputTypeConvolutional c) {
      return List.of(c.getChannels(), c.getHeight(), c.getWidth());
    }
    return Arrays.stream(type.getShape(false)).boxed().toList();
  }

  /**
   * Text table: one line per vertex (name, type, output shape, parameters), then the totals, the
   * last three lines being {@code trainable parameters: N}, {@code total parameters: N} and {@code
   * forward multiply-adds: N} with plain digits.
   *
   * @return the table, lines separated by {@code \n}, ending with a newline
   */
  public String toTable() {
    int nameWidth = Math.max(4, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
    int typeWidth = Math.max(4, rows.stream().mapToInt(r -> r.type().length()).max().orElse(0));
    int shapeWidth =
        Math.max(12, rows.stream().mapToInt(r -> r.shapeText().length()).max().orElse(0));
    String format = "%-" + nameWidth + "s  %-" + typeWidth + "s  %-" + shapeWidth + "s  %12s\n";
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(format, "name", "type", "output shape", "parameters"));
    for (Row r : rows) {
      sb.append(String.format(format, r.name(), r.type(), r.shapeText(), r.parameters()));
    }
    sb.append("trainable parameters: ").append(trainableParameters).append('\n');
    sb.append("total parameters: ").append(totalParameters).append('\n');
    sb.append("forward multiply-adds: ").append(forwardMultiplyAdds).append('\n');
    return sb.toString();
  }
}
