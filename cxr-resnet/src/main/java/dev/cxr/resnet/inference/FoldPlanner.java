package dev.cxr.resnet.inference;

import dev.cxr.resnet.bn.FusedBatchNormalization;
import dev.cxr.resnet.conv.DirectConvolution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/**
 * Rewrites a graph configuration for inference: every {@code convolution -> batch norm [->
 * activation layer]} chain whose intermediate outputs feed nothing else becomes one convolution
 * with a bias and that activation.
 *
 * <p>Only exact rewrites are made. A batch norm whose input is not a plain convolution with an
 * identity activation (for example the BN-ReLU that opens a pre-activation block, fed by a residual
 * addition) is left as it is: folding it forward into the next convolution would be wrong at the
 * zero-padded border (padding is zero after the normalisation, not before it) and impossible
 * through the ReLU between them.
 */
final class FoldPlanner {

  /**
   * One convolution that absorbed a batch norm and, when not null, an activation layer; {@code
   * batchNormRelu} when the batch norm was cxr's fused one with its ReLU, now the convolution's.
   */
  record Fold(String conv, String batchNorm, String activation, boolean batchNormRelu) {}

  /** The rewritten configuration and what was folded. */
  record Plan(ComputationGraphConfiguration folded, List<Fold> folds) {
    Plan {
      folds = List.copyOf(folds);
    }
  }

  private FoldPlanner() {}

  /**
   * Plans the inference copy of {@code trained}; {@code trained} itself is not changed.
   *
   * @param trained the trainable network's configuration
   * @return a rewritten clone and the folds it contains (possibly none)
   */
  static Plan plan(ComputationGraphConfiguration trained) {
    ComputationGraphConfiguration conf = trained.clone();
    Map<String, GraphVertex> vertices = conf.getVertices();
    Map<String, List<String>> inputs = conf.getVertexInputs();
    Set<String> outputs = Set.copyOf(conf.getNetworkOutputs());
    Map<String, List<String>> consumers = consumers(inputs);
    List<Fold> folds = new ArrayList<>();
    for (String name : List.copyOf(vertices.keySet())) {
      if (!vertices.containsKey(name)) {
        continue; // removed by an earlier fold
      }
      ConvolutionLayer conv = foldableConv(vertices.get(name));
      String bnName = soleConsumer(name, consumers, outputs);
      if (conv == null || bnName == null) {
        continue;
      }
      BatchNormalization bn = foldableBatchNorm(vertices.get(bnName), inputs.get(bnName), name);
      if (bn == null || bn.getCnn2DFormat() != conv.getCnn2dDataFormat()) {
        continue;
      }
      // cxr's fused batch norm applies its ReLU itself: the ReLU moves into the convolution, and
      // an activation layer after it (none in cxr's ResNets) is left where it is
      boolean fusedRelu = bn instanceof FusedBatchNormalization f && f.isRelu();
      String actName = fusedRelu ? null : soleConsumer(bnName, consumers, outputs);
      // an activation that is itself a network output keeps its vertex, so output names stay
      ActivationLayer act =
          actName == null || outputs.contains(actName)
              ? null
              : activation(vertices.get(actName), inputs.get(actName), bnName);
      if (act == null) {
        actName = null;
      }
      conv.setHasBias(true);
      if (act != null) {
        conv.setActivationFn(act.getActivationFn());
      } else if (fusedRelu) {
        conv.setActivationFn(new ActivationReLU());
      }
      String last = actName != null ? actName : bnName;
      List<String> downstream = consumers.getOrDefault(last, List.of());
      for (String c : downstream) {
        inputs.get(c).replaceAll(in -> in.equals(last) ? name : in);
      }
      consumers.put(name, new ArrayList<>(downstream));
      for (String gone : actName != null ? List.of(bnName, actName) : List.of(bnName)) {
        vertices.remove(gone);
        inputs.remove(gone);
        consumers.remove(gone);
      }
      folds.add(new Fold(name, bnName, actName, fusedRelu));
    }
    return new Plan(conf, folds);
  }

  private static Map<String, List<String>> consumers(Map<String, List<String>> inputs) {
    Map<String, List<String>> consumers = new HashMap<>();
    inputs.forEach(
        (vertex, ins) -> {
          for (String in : ins) {
            consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(vertex);
          }
        });
    return consumers;
  }

  /** The one vertex that reads {@code name}, or null when it has several or is a network output. */
  private static String soleConsumer(
      String name, Map<String, List<String>> consumers, Set<String> outputs) {
    List<String> c = consumers.get(name);
    return c != null && c.size() == 1 && !outputs.contains(name) ? c.get(0) : null;
  }

  private static Layer layer(GraphVertex v) {
    return v instanceof LayerVertex lv && lv.getLayerConf() != null
        ? lv.getLayerConf().getLayer()
        : null;
  }

  /** A plain 2-D convolution (not a subclass: depthwise, separable, 1-D...) with no activation. */
  private static ConvolutionLayer foldableConv(GraphVertex v) {
    Layer l = layer(v);
    return l != null
            && (l.getClass() == ConvolutionLayer.class || l.getClass() == DirectConvolution.class)
            && ((ConvolutionLayer) l).getActivationFn() instanceof ActivationIdentity
        ? (ConvolutionLayer) l
        : null;
  }

  private static BatchNormalization foldableBatchNorm(
      GraphVertex v, List<String> inputs, String conv) {
    Layer l = layer(v);
    return l != null
            && (l.getClass() == BatchNormalization.class
                || l.getClass() == FusedBatchNormalization.class)
            && ((LayerVertex) v).getPreProcessor() == null
            && inputs.equals(List.of(conv))
        ? (BatchNormalization) l
        : null;
  }

  private static ActivationLayer activation(GraphVertex v, List<String> inputs, String bn) {
    Layer l = layer(v);
    return l != null
            && l.getClass() == ActivationLayer.class
            && ((LayerVertex) v).getPreProcessor() == null
            && inputs.equals(List.of(bn))
        ? (ActivationLayer) l
        : null;
  }
}
