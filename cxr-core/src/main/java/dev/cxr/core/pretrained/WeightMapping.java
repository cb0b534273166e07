package dev.cxr.core.pretrained;

import dev.cxr.core.config.Architecture;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.weights.StateDict;
import dev.cxr.core.weights.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies a torchvision-layout state dict into a cxr network, by name.
 *
 * <p>Module paths map to cxr's vertex names: ResNet {@code conv1} → {@code stem_conv}, {@code bn1}
 * → the stem's batch norm, {@code layer<s>.<b>.conv<k>} → {@code s<s>_b<b+1>_conv<k>}, {@code
 * downsample.0/1} → {@code proj_conv/proj_bn}, {@code fc} → {@code output}; DenseNet {@code
 * features.<path>} → the path with {@code _} for {@code .}, {@code classifier} → {@code output}. A
 * batch norm is found under its own name or, where cxr fused it with the ReLU after it, under that
 * ReLU's name.
 *
 * <p>Parameters: convolution weights keep PyTorch's {@code [out, in, kh, kw]} (DL4J's layout);
 * linear weights {@code [out, in]} are transposed to DL4J's {@code [in, out]}; batch norm weight,
 * bias, running mean as gamma, beta, mean, and the running variance as DL4J's log10 standard
 * deviation {@code 0.5 log10(var)} (or the variance itself where a layer stores that). DL4J and
 * torchvision both use epsilon 1e-5; a layer with another epsilon is refused. {@code
 * num_batches_tracked} carries no weight and is skipped.
 *
 * <p>Every key must land and every parameter of the network must be filled: a missing or extra key,
 * or a shape that differs, is refused naming the key.
 */
final class WeightMapping {

  private static final Pattern RESNET_PART =
      Pattern.compile("layer(\\d+)\\.(\\d+)\\.(conv|bn)(\\d)");
  private static final Pattern RESNET_PROJECTION =
      Pattern.compile("layer(\\d+)\\.(\\d+)\\.downsample\\.([01])");
  private static final double TORCH_BN_EPS = 1e-5;

  private WeightMapping() {}

  /**
   * Copies the tensors into {@code net}.
   *
   * @param weights the file's tensors
   * @param layout what they describe
   * @param net a network of that layout (any head)
   * @param headRows the classifier rows that become the head's outputs, in order, or null to leave
   *     the head as it is (fine-tuning: a new head for the task)
   * @return the number of parameters copied
   * @throws CxrDataException naming the key that does not fit
   */
  static long copy(StateDict weights, TorchLayout layout, ComputationGraph net, int[] headRows) {
    Set<String> filled = new HashSet<>();
    long copied = 0;
    for (String key : weights.keys()) {
      String local = key.substring(layout.keyPrefix().length());
      int dot = local.lastIndexOf('.');
      if (dot < 0) {
        throw unexpected(weights, key, "not a module parameter");
      }
      String module = local.substring(0, dot);
      String param = local.substring(dot + 1);
      if (param.equals("num_batches_tracked")) {
        continue;
      }
      boolean head =
          module.equals(layout.architecture() == Architecture.DENSENET ? "classifier" : "fc");
      if (head && headRows == null) {
        continue;
      }
      Tensor t = weights.get(key);
      Target target =
          target(weights, key, layerCandidates(layout.architecture(), module), param, net);
      INDArray value = head ? headValue(weights, key, t, param, headRows) : value(t, param, target);
      INDArray current = target.layer.getParam(target.param);
      if (value.isVector() && current.isVector() && value.length() == current.length()) {
        value = value.reshape(current.shape()); // a bias: [n] in PyTorch, [1, n] or [n] in DL4J
      }
      if (!Arrays.equals(current.shape(), value.shape())) {
        throw new CxrDataException(
            weights.source(),
            "key '"
                + key
                + "' has shape "
                + t.shapeText()
                + " but cxr's "
                + target.layer.getConfig().getLayerName()
                + " '"
                + target.param
                + "' needs "
                + Arrays.toString(current.shape())
                + " (a "
                + layout.describe()
                + " with another size?)");
      }
      target.layer.setParam(target.param, value.castTo(current.dataType()));
      filled.add(target.layer.getConfig().getLayerName() + "/" + target.param);
      copied += value.length();
    }
    List<String> missing = new ArrayList<>();
    for (Layer l : net.getLayers()) {
      String name = l.getConfig().getLayerName();
      if (name.equals("output") && headRows == null) {
        continue;
      }
      for (String p : l.paramTable().keySet()) {
        if (!filled.contains(name + "/" + p)) {
          missing.add(name + "/" + p);
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new CxrDataException(
          weights.source(),
          "no weights for "
              + missing.size()
              + " of the network's parameters (first: "
              + missing.get(0)
              + "): the file is not a complete "
              + layout.describe());
    }
    return copied;
  }

  /** The cxr layers a torch module may be: a batch norm fused with its ReLU has the ReLU's name. */
  static List<String> layerCandidates(Architecture arch, String module) {
    if (arch == Architecture.DENSENET) {
      if (module.equals("classifier")) {
        return List.of("output");
      }
      if (!module.startsWith("features.")) {
        return List.of();
      }
      return List.of(module.substring("features.".length()).replace('.', '_'));
    }
    switch (module) {
      case "conv1":
        return List.of("stem_conv");
      case "bn1":
        return List.of("stem_bn", "stem_relu");
      case "fc":
        return List.of("output");
      default:
        break;
    }
    Matcher m = RESNET_PART.matcher(module);
    if (m.matches()) {
      String p = "s" + m.group(1) + "_b" + (Integer.parseInt(m.group(2)) + 1) + "_";
      return m.group(3).equals("conv")
          ? List.of(p + "conv" + m.group(4))
          : List.of(p + "bn" + m.group(4), p + "relu" + m.group(4));
    }
    m = RESNET_PROJECTION.matcher(module);
    if (m.matches()) {
      String p = "s" + m.group(1) + "_b" + (Integer.parseInt(m.group(2)) + 1) + "_";
      return List.of(m.group(3).equals("0") ? p + "proj_conv" : p + "proj_bn");
    }
    return List.of();
  }

  private record Target(Layer layer, String param) {}

  private static Target target(
      StateDict weights, String key, List<String> candidates, String param, ComputationGraph net) {
    for (String name : candidates) {
      if (!net.getConfiguration().getVertices().containsKey(name)) {
        continue;
      }
      Layer layer = net.getLayer(name);
      Object conf = layer.getConfig();
      String p = dl4jParam(conf, param, layer.paramTable());
      if (p != null) {
        if (conf instanceof BatchNormalization bn && Math.abs(bn.getEps() - TORCH_BN_EPS) > 1e-12) {
          throw unexpected(weights, key, "cxr's layer " + name + " has epsilon " + bn.getEps());
        }
        return new Target(layer, p);
      }
    }
    throw unexpected(
        weights,
        key,
        candidates.isEmpty() ? "no such module in cxr's network" : "no layer " + candidates);
  }

  private static String dl4jParam(Object conf, String param, Map<String, INDArray> table) {
    String p;
    if (conf instanceof BatchNormalization) {
      p =
          switch (param) {
            case "weight" -> BatchNormalizationParamInitializer.GAMMA;
            case "bias" -> BatchNormalizationParamInitializer.BETA;
            case "running_mean" -> BatchNormalizationParamInitializer.GLOBAL_MEAN;
            case "running_var" ->
                table.containsKey(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)
                    ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                    : BatchNormalizationParamInitializer.GLOBAL_VAR;
            default -> null;
          };
    } else if (conf instanceof ConvolutionLayer || conf instanceof BaseOutputLayer) {
      p =
          switch (param) {
            case "weight" -> "W";
            case "bias" -> "b";
            default -> null;
          };
    } else {
      p = null;
    }
    return p != null && table.containsKey(p) ? p : null;
  }

  private static INDArray value(Tensor t, String param, Target target) {
    float[] v = t.values();
    if (target.param.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
      float[] log = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        // DL4J keeps log10 of the standard deviation; a variance of exactly 0 (a channel that
        // never fired) becomes the smallest positive float rather than -infinity
        log[i] = (float) (0.5 * Math.log10(Math.max(v[i], Float.MIN_NORMAL)));
      }
      v = log;
    }
    long[] shape = target.layer.getParam(target.param).shape();
    if (target.layer.getConfig() instanceof BatchNormalization) {
      return Nd4j.create(v, shape, 'c');
    }
    return Nd4j.create(v, t.shape(), 'c');
  }

  /** The classifier's rows {@code rows}, transposed to DL4J's {@code [in, out]}. */
  private static INDArray headValue(
      StateDict weights, String key, Tensor t, String param, int[] rows) {
    float[] v = t.values();
    long[] shape = t.shape();
    for (int r : rows) {
      if (r < 0 || r >= shape[0]) {
        throw unexpected(weights, key, "has no output row " + r);
      }
    }
    if (param.equals("bias")) {
      float[] b = new float[rows.length];
      for (int j = 0; j < rows.length; j++) {
        b[j] = v[rows[j]];
      }
      return Nd4j.create(b, new long[] {1, rows.length}, 'c');
    }
    if (shape.length != 2) {
      throw unexpected(weights, key, "is " + t.shapeText() + ", not a 2-D linear weight");
    }
    int in = (int) shape[1];
    float[] w = new float[in * rows.length];
    for (int j = 0; j < rows.length; j++) {
      for (int i = 0; i < in; i++) {
        w[i * rows.length + j] = v[rows[j] * in + i];
      }
    }
    return Nd4j.create(w, new long[] {in, rows.length}, 'c');
  }

  private static CxrDataException unexpected(StateDict weights, String key, String why) {
    return new CxrDataException(weights.source(), "key '" + key + "': " + why);
  }
}
