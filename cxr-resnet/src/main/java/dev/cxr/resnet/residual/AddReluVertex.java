package dev.cxr.resnet.residual;

import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Implementation of {@link AddRelu}: forward {@code out = a + b} (one pass into a new array) then
 * {@code max(0, out)} in place; backward {@code g = ε · [out > 0]} (one pass, from the output kept
 * by the training forward pass: {@code out > 0} exactly where {@code a + b > 0}), handed to the
 * first input, and a copy of it to every other input.
 *
 * <p>Why a copy and not the same array for both inputs: DL4J's {@code ComputationGraph} sums the
 * gradients of a vertex that feeds several others in place into the first one it received ({@code
 * currentEps.addi(...)}), and a residual block's input feeds both the addition and the block's
 * first convolution, so a shared array would be changed under the other input.
 */
public class AddReluVertex extends BaseGraphVertex {

  /** Output of the last training forward pass: the ReLU mask of the backward pass. */
  private INDArray lastOutput;

  /**
   * @param graph the network
   * @param name vertex name
   * @param vertexIndex vertex index in the network
   * @param dataType the network's data type
   */
  public AddReluVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
    super(graph, name, vertexIndex, null, null, dataType);
  }

  @Override
  public boolean hasLayer() {
    return false;
  }

  @Override
  public org.deeplearning4j.nn.api.Layer getLayer() {
    return null;
  }

  @Override
  public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!canDoForward()) {
      throw new IllegalStateException(
          "Cannot do forward pass of " + getVertexName() + ": inputs not set");
    }
    INDArray first = inputs[0];
    for (int i = 1; i < inputs.length; i++) {
      if (!first.equalShapes(inputs[i])) {
        throw new IllegalStateException(
            "AddRelu "
                + getVertexName()
                + ": input "
                + i
                + " has shape "
                + Arrays.toString(inputs[i].shape())
                + ", input 0 "
                + Arrays.toString(first.shape()));
      }
    }
    INDArray out =
        workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, first.shape(), 'c');
    Nd4j.exec(new AddOp(first.castTo(dataType), inputs[1].castTo(dataType), out));
    for (int i = 2; i < inputs.length; i++) {
      out.addi(inputs[i].castTo(dataType));
    }
    Nd4j.exec(new RectifiedLinear(out, out));
    lastOutput = training ? out : null;
    return out;
  }

  @Override
  public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
    if (!canDoBackward()) {
      throw new IllegalStateException(
          "Cannot do backward pass of " + getVertexName() + ": errors not set");
    }
    if (lastOutput == null) {
      throw new IllegalStateException(
          "backward pass of " + getVertexName() + " without a training forward pass before it");
    }
    INDArray[] out = new INDArray[inputs.length];
    out[0] =
        workspaceMgr.createUninitialized(
            ArrayType.ACTIVATION_GRAD, dataType, lastOutput.shape(), 'c');
    Nd4j.exec(new RectifiedLinearDerivative(lastOutput, epsilon.castTo(dataType), out[0]));
    for (int i = 1; i < inputs.length; i++) {
      out[i] = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, out[0]);
    }
    return new Pair<>(null, out);
  }

  @Override
  public void clear() {
    super.clear();
    lastOutput = null;
  }

  @Override
  public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
    if (backpropGradientsViewArray != null) {
      throw new IllegalArgumentException(
          "AddRelu " + getVertexName() + " has no parameters, so no gradient view");
    }
  }

  /** Masks pass through unchanged when there is at most one; several are not supported. */
  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArrays(
      INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
    if (maskArrays == null || Arrays.stream(maskArrays).allMatch(m -> m == null)) {
      return new Pair<>(null, currentMaskState);
    }
    throw new UnsupportedOperationException(
        "AddRelu " + getVertexName() + " does not support mask arrays (CNN activations have none)");
  }

  @Override
  public String toString() {
    return "AddReluVertex(id=" + getVertexIndex() + ",name=\"" + getVertexName() + "\")";
  }
}
