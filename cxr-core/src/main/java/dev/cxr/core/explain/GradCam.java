package dev.cxr.core.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Grad-CAM: R. R. Selvaraju, M. Cogswell, A. Das, R. Vedantam, D. Parikh, D. Batra, "Grad-CAM:
 * Visual Explanations from Deep Networks via Gradient-based Localization", ICCV 2017.
 *
 * <p>For a class c with pre-softmax score (logit) {@code y_c} and the feature maps {@code A_k} of
 * the last convolutional stage, the weight of map k is the spatial mean of {@code dy_c/dA_k}, and
 * the heat map is {@code ReLU(sum_k alpha_k A_k)}. Every cxr ResNet ends in the same way, whatever
 * its depth or variant: last stage (the original variant's last block ReLU, the pre-activation
 * variant's {@code final_relu}) - global average pooling - dense output layer. The logit is then
 * linear in the feature maps, {@code y_c = sum_k W[k,c] mean(A_k) + b_c}, so its gradient is the
 * same at every position, {@code dy_c/dA_k(i,j) = W[k,c] / (H W)}: that exact gradient is what this
 * class uses (for this head, Grad-CAM equals CAM up to the factor {@code 1/(H W)}, as section 3.1
 * of the paper notes). The layers are found from the graph (the vertex feeding the global pooling
 * layer, the output layer fed by it), and a network of another shape is refused, so the shortcut is
 * never taken where it would not be exact.
 */
public final class GradCam {
  private final ComputationGraph network;
  private final String target;
  private final String output;
  private final int column;

  private GradCam(ComputationGraph network, String target, String output, int column) {
    this.network = network;
    this.target = target;
    this.output = output;
    this.column = column;
  }

  /**
   * Grad-CAM for a network that ends in global average pooling and a dense output layer (every cxr
   * ResNet).
   *
   * @param network the network
   * @param column the output column of the class to explain
   * @return the explainer
   * @throws IllegalArgumentException when the network does not end that way, or the column is not
   *     one of its outputs
   */
  public static GradCam of(ComputationGraph network, int column) {
    Objects.requireNonNull(network, "network");
    ComputationGraphConfiguration conf = network.getConfiguration();
    List<String> outputs = conf.getNetworkOutputs();
    if (outputs.size() != 1) {
      throw new IllegalArgumentException(
          "Grad-CAM needs a network with one output, not " + outputs.size());
    }
    String out = outputs.get(0);
    if (!(layerOf(conf.getVertices().get(out)) instanceof OutputLayer head)) {
      throw new IllegalArgumentException("the output '" + out + "' is not a dense output layer");
    }
    String pool = single(conf.getVertexInputs().get(out), out);
    if (!(layerOf(conf.getVertices().get(pool)) instanceof GlobalPoolingLayer gp)
        || gp.getPoolingType() != PoolingType.AVG) {
      throw new IllegalArgumentException(
          "Grad-CAM here needs global average pooling before the output layer, but '"
              + out
              + "' is fed by '"
              + pool
              + "'");
    }
    if (column < 0 || column >= head.getNOut()) {
      throw new IllegalArgumentException(
          "column must be in [0, " + head.getNOut() + ") but was " + column);
    }
    return new GradCam(network, single(conf.getVertexInputs().get(pool), pool), out, column);
  }

  private static Layer layerOf(GraphVertex v) {
    return v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
  }

  private static String single(List<String> inputs, String vertex) {
    if (inputs == null || inputs.size() != 1) {
      throw new IllegalArgumentException("vertex '" + vertex + "' must have exactly one input");
    }
    return inputs.get(0);
  }

  /**
   * @return the name of the layer whose output is explained (the last convolutional stage)
   */
  public String targetLayer() {
    return target;
  }

  /**
   * One image's map and scores.
   *
   * @param map the heat map at the size of the target layer's output (e.g. 4x4 for 128 px)
   * @param logits pre-softmax scores of every class, computed from the target layer's output
   * @param probabilities the network's own output for the image
   */
  public record Cam(HeatMap map, List<Double> logits, List<Double> probabilities) {
    /** Copies the lists. */
    public Cam {
      Objects.requireNonNull(map, "map");
      logits = List.copyOf(logits);
      probabilities = List.copyOf(probabilities);
    }
  }

  /**
   * Grad-CAM of a batch (inference mode: no dropout, batch-norm running statistics).
   *
   * @param input a batch, {@code [n, channels, height, width]}, prepared as for the network
   * @return one result per image, in order
   */
  public List<Cam> compute(INDArray input) {
    Map<String, INDArray> acts = network.feedForward(input, false);
    INDArray a = acts.get(target); // [n, k, h, w]
    INDArray probs = acts.get(output);
    long n = a.size(0);
    long k = a.size(1);
    int h = (int) a.size(2);
    int w = (int) a.size(3);
    INDArray weights = network.getLayer(output).getParam("W"); // [k, classes]
    INDArray bias = network.getLayer(output).getParam("b"); // [1, classes]
    // alpha_k = mean over positions of dy_c/dA_k = W[k, c] / (h w)
    INDArray alpha = weights.getColumn(column).reshape(k, 1).castTo(a.dataType()).div(h * w);
    // rows of [n*h*w, k] times alpha: the weighted sum of the maps at every position
    INDArray positions = a.permute(0, 2, 3, 1).dup('c').reshape(n * h * w, k);
    INDArray cam = positions.mmul(alpha).reshape(n, h * w);
    INDArray pooled = a.mean(2, 3); // [n, k], what the global pooling layer hands on
    INDArray logits = pooled.mmul(weights.castTo(a.dataType())).addiRowVector(bias);
    List<Cam> out = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) {
      float[] v = cam.getRow(i).toFloatVector();
      for (int j = 0; j < v.length; j++) {
        v[j] = Math.max(0f, v[j]); // ReLU: only what speaks for the class
      }
      out.add(new Cam(new HeatMap(w, h, v), doubles(logits.getRow(i)), doubles(probs.getRow(i))));
    }
    return out;
  }

  private static List<Double> doubles(INDArray row) {
    List<Double> l = new ArrayList<>();
    for (double d : row.toDoubleVector()) {
      l.add(d);
    }
    return l;
  }
}
