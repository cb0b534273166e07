package dev.cxr.core.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
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
 *
 * <p>An ensemble ({@link dev.cxr.core.ensemble.FoldEnsemble}: one graph whose output is the
 * element-wise mean of its members' softmax outputs, each member a branch ending in global average
 * pooling and a dense output layer) is explained by its members: <b>the ensemble's map is the mean
 * of the members' maps, each member's map computed as above on its own branch for the ensemble's
 * class (the same output column), after its ReLU</b>. All branches run in one forward pass of the
 * ensemble's graph. An ensemble of one member therefore gives that member's map exactly. Members
 * whose maps differ in size (other architectures) are resampled bilinearly to the largest map
 * before the mean; the fold models of one cross-validation share their architecture, so nothing is
 * resampled for them.
 */
public final class GradCam {
  /**
   * One dense head of the network: the last convolutional stage it explains and its output layer.
   */
  private record Branch(String target, String output) {}

  private final ComputationGraph network;
  private final List<Branch> branches;
  private final String output;
  private final int column;

  private GradCam(ComputationGraph network, List<Branch> branches, String output, int column) {
    this.network = network;
    this.branches = List.copyOf(branches);
    this.output = output;
    this.column = column;
  }

  /**
   * Grad-CAM for a network that ends in global average pooling and a dense output layer (every cxr
   * ResNet), or for an ensemble whose output is the mean of such networks' outputs (a {@link
   * dev.cxr.core.ensemble.FoldEnsemble}; see the class comment for how its map is made).
   *
   * @param network the network
   * @param column the output column of the class to explain
   * @return the explainer
   * @throws IllegalArgumentException when the network does not end either way, or the column is not
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
    GraphVertex last = conf.getVertices().get(out);
    List<Branch> branches = new ArrayList<>();
    if (last instanceof ElementWiseVertex mean && mean.getOp() == ElementWiseVertex.Op.Average) {
      for (String member : conf.getVertexInputs().get(out)) {
        branches.add(branch(conf, member, column, " (a member of the ensemble '" + out + "')"));
      }
    } else if (layerOf(last) instanceof OutputLayer) {
      branches.add(branch(conf, out, column, ""));
    } else {
      throw new IllegalArgumentException(
          "the output '"
              + out
              + "' is not a dense output layer, nor the mean of such outputs (an ensemble)");
    }
    return new GradCam(network, branches, out, column);
  }

  /** The branch ending in the dense output layer {@code out}, checked. */
  private static Branch branch(
      ComputationGraphConfiguration conf, String out, int column, String where) {
    if (!(layerOf(conf.getVertices().get(out)) instanceof OutputLayer head)) {
      throw new IllegalArgumentException(
          "the output '" + out + "'" + where + " is not a dense output layer");
    }
    String pool = single(conf.getVertexInputs().get(out), out);
    if (!(layerOf(conf.getVertices().get(pool)) instanceof GlobalPoolingLayer gp)
        || gp.getPoolingType() != PoolingType.AVG) {
      throw new IllegalArgumentException(
          "Grad-CAM here needs global average pooling before the output layer, but '"
              + out
              + "'"
              + where
              + " is fed by '"
              + pool
              + "'");
    }
    if (column < 0 || column >= head.getNOut()) {
      throw new IllegalArgumentException(
          "column must be in [0, " + head.getNOut() + ") but was " + column);
    }
    return new Branch(single(conf.getVertexInputs().get(pool), pool), out);
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
   * @return the name of the layer whose output is explained (the last convolutional stage); for an
   *     ensemble, the first member's (see {@link #targetLayers()})
   */
  public String targetLayer() {
    return branches.get(0).target();
  }

  /**
   * @return the layers whose outputs are explained: one for a single network, one per member (in
   *     the order of the ensemble's inputs) for an ensemble
   */
  public List<String> targetLayers() {
    return branches.stream().map(Branch::target).toList();
  }

  /**
   * One image's map and scores.
   *
   * @param map the heat map at the size of the target layer's output (e.g. 4x4 for 128 px); for an
   *     ensemble, the mean of its members' maps
   * @param logits pre-softmax scores of every class, computed from the target layer's output; for
   *     an ensemble, the mean of its members' logits (the ensemble averages probabilities, so these
   *     are not its output's logits)
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
    INDArray probs = acts.get(output);
    int n = (int) input.size(0);
    List<List<HeatMap>> maps = new ArrayList<>(n); // per image, one map per branch
    double[][] logits = new double[n][];
    for (int i = 0; i < n; i++) {
      maps.add(new ArrayList<>(branches.size()));
    }
    for (Branch b : branches) {
      INDArray a = acts.get(b.target()); // [n, k, h, w]
      long k = a.size(1);
      int h = (int) a.size(2);
      int w = (int) a.size(3);
      INDArray weights = network.getLayer(b.output()).getParam("W"); // [k, classes]
      INDArray bias = network.getLayer(b.output()).getParam("b"); // [1, classes]
      // alpha_k = mean over positions of dy_c/dA_k = W[k, c] / (h w)
      INDArray alpha = weights.getColumn(column).reshape(k, 1).castTo(a.dataType()).div(h * w);
      // rows of [n*h*w, k] times alpha: the weighted sum of the maps at every position
      INDArray positions = a.permute(0, 2, 3, 1).dup('c').reshape((long) n * h * w, k);
      INDArray cam = positions.mmul(alpha).reshape(n, h * w);
      INDArray pooled = a.mean(2, 3); // [n, k], what the global pooling layer hands on
      INDArray z = pooled.mmul(weights.castTo(a.dataType())).addiRowVector(bias);
      for (int i = 0; i < n; i++) {
        float[] v = cam.getRow(i).toFloatVector();
        for (int j = 0; j < v.length; j++) {
          v[j] = Math.max(0f, v[j]); // ReLU: only what speaks for the class
        }
        maps.get(i).add(new HeatMap(w, h, v));
        double[] zi = z.getRow(i).toDoubleVector();
        if (logits[i] == null) {
          logits[i] = zi;
        } else {
          for (int c = 0; c < zi.length; c++) {
            logits[i][c] += zi[c];
          }
        }
      }
    }
    List<Cam> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<Double> z = new ArrayList<>(logits[i].length);
      for (double v : logits[i]) {
        z.add(v / branches.size());
      }
      out.add(new Cam(mean(maps.get(i)), z, doubles(probs.getRow(i))));
    }
    return out;
  }

  /**
   * The mean of maps, each resampled to the largest first; the one map itself when there is one.
   */
  static HeatMap mean(List<HeatMap> maps) {
    if (maps.size() == 1) {
      return maps.get(0);
    }
    int w = 0;
    int h = 0;
    for (HeatMap m : maps) {
      w = Math.max(w, m.width());
      h = Math.max(h, m.height());
    }
    double[] sum = new double[w * h];
    for (HeatMap m : maps) {
      float[] v = m.resized(w, h).values();
      for (int j = 0; j < v.length; j++) {
        sum[j] += v[j];
      }
    }
    float[] mean = new float[w * h];
    for (int j = 0; j < mean.length; j++) {
      mean[j] = (float) (sum[j] / maps.size());
    }
    return new HeatMap(w, h, mean);
  }

  private static List<Double> doubles(INDArray row) {
    List<Double> l = new ArrayList<>();
    for (double d : row.toDoubleVector()) {
      l.add(d);
    }
    return l;
  }
}
