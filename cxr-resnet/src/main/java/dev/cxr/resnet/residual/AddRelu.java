package dev.cxr.resnet.residual;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code max(0, a + b)} of two (or more) inputs of equal shape: the end of a residual block of the
 * original ResNet (He et al., "Deep Residual Learning for Image Recognition", 2015, arXiv
 * 1512.03385), implemented by {@link AddReluVertex}.
 *
 * <p>It gives the same values and gradients as DL4J's {@code ElementWiseVertex(Add)} followed by a
 * ReLU {@code ActivationLayer}, in fewer passes over the activations: forward one add into the
 * output and an in-place ReLU (DL4J: a copy of the first input, an add, the activation layer's copy
 * of its input, the ReLU: four), backward one masked pass and one copy for the second input (DL4J:
 * the activation layer's copy of its input, the masked pass, one copy per input: four).
 *
 * <p>No parameters; stored in a model's JSON under its class name, without fields.
 */
public class AddRelu extends GraphVertex {

  /**
   * System property that, set to {@code false}, makes {@code ResNets.builder()} default to DL4J's
   * addition vertex and a separate ReLU layer (for A/B timing, as {@code cxr.directConvBackprop}).
   */
  public static final String SWITCH_PROPERTY = "cxr.fusedAddRelu";

  /**
   * The builders' default: true unless the system property {@value #SWITCH_PROPERTY} is {@code
   * false}.
   *
   * @return whether new ResNet configurations use this vertex unless told otherwise
   */
  public static boolean enabledByDefault() {
    return !"false".equalsIgnoreCase(System.getProperty(SWITCH_PROPERTY, "true"));
  }

  /** The vertex (public for Jackson). */
  public AddRelu() {}

  @Override
  public AddRelu clone() {
    return new AddRelu();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddRelu;
  }

  @Override
  public int hashCode() {
    return AddRelu.class.hashCode();
  }

  @Override
  public long numParams(boolean backprop) {
    return 0;
  }

  @Override
  public int minVertexInputs() {
    return 2;
  }

  @Override
  public int maxVertexInputs() {
    return Integer.MAX_VALUE;
  }

  @Override
  public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(
      ComputationGraph graph,
      String name,
      int idx,
      INDArray paramsView,
      boolean initializeParams,
      DataType networkDatatype) {
    return new AddReluVertex(graph, name, idx, networkDatatype);
  }

  /**
   * The type of the inputs, which must all be equal (no broadcasting).
   *
   * @throws InvalidInputTypeException naming the first input that differs from the first
   */
  @Override
  public InputType getOutputType(int layerIndex, InputType... vertexInputs)
      throws InvalidInputTypeException {
    for (int i = 1; i < vertexInputs.length; i++) {
      if (!vertexInputs[i].equals(vertexInputs[0])) {
        throw new InvalidInputTypeException(
            "AddRelu inputs must have equal types, but input 0 is "
                + vertexInputs[0]
                + " and input "
                + i
                + " is "
                + vertexInputs[i]);
      }
    }
    return vertexInputs[0];
  }

  @Override
  public MemoryReport getMemoryReport(InputType... inputTypes) {
    // training keeps the output (already counted as the activations) for the backward mask
    return new LayerMemoryReport.Builder(null, AddRelu.class, inputTypes[0], inputTypes[0])
        .standardMemory(0, 0)
        .workingMemory(0, 0, 0, 0)
        .cacheMemory(0, 0)
        .build();
  }

  @Override
  public String toString() {
    return "AddRelu()";
  }
}
