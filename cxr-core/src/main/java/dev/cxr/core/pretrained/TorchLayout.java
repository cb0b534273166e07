package dev.cxr.core.pretrained;

import dev.cxr.core.config.Architecture;
import dev.cxr.core.config.Pretrained;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.weights.StateDict;
import dev.cxr.core.weights.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network a state dict describes, read from its keys and shapes alone: torchvision's ResNet
 * ({@code conv1}, {@code layer<s>.<b>.*}, {@code fc}) or DenseNet ({@code features.*}, {@code
 * classifier}) layout, and torchxrayvision's models (its DenseNet has torchvision's keys with one
 * input channel and 18 outputs; its ResNet wraps torchvision's under {@code model.}).
 *
 * @param architecture ResNet or DenseNet
 * @param depth e.g. 18 or 121 (from the block counts, checked against the family's table)
 * @param width the stem's filters (64 for every torchvision network)
 * @param stemChannels input channels of the first convolution (3 for ImageNet, 1 for
 *     torchxrayvision)
 * @param classes rows of the classifier
 * @param source what made the file
 * @param keyPrefix the prefix every key carries ({@code "model."} for torchxrayvision's ResNet), or
 *     empty
 * @param outputNames the classifier's output names when the file names them (torchxrayvision's
 *     pathologies), else empty
 * @param thresholds per output, torchxrayvision's operating thresholds ({@code op_threshs}; NaN
 *     where a model did not learn that output), else empty
 */
public record TorchLayout(
    Architecture architecture,
    int depth,
    int width,
    int stemChannels,
    int classes,
    Pretrained.Source source,
    String keyPrefix,
    List<String> outputNames,
    List<Double> thresholds) {

  /**
   * torchxrayvision's default pathology order ({@code xrv.datasets.default_pathologies}), the order
   * of its 18 outputs when a file does not carry its own {@code pathologies}.
   */
  public static final List<String> TXRV_PATHOLOGIES =
      List.of(
          "Atelectasis",
          "Consolidation",
          "Infiltration",
          "Pneumothorax",
          "Edema",
          "Emphysema",
          "Fibrosis",
          "Effusion",
          "Pneumonia",
          "Pleural_Thickening",
          "Cardiomegaly",
          "Nodule",
          "Mass",
          "Hernia",
          "Lung Lesion",
          "Fracture",
          "Lung Opacity",
          "Enlarged Cardiomediastinum");

  // torchvision's tables: blocks per stage -> depth, for basic and for bottleneck blocks
  private static final Map<List<Integer>, Integer> BASIC_STAGES =
      Map.of(List.of(2, 2, 2, 2), 18, List.of(3, 4, 6, 3), 34);
  private static final Map<List<Integer>, Integer> BOTTLENECK_STAGES =
      Map.of(List.of(3, 4, 6, 3), 50, List.of(3, 4, 23, 3), 101, List.of(3, 8, 36, 3), 152);
  private static final Map<List<Integer>, Integer> DENSENET_BLOCKS =
      Map.of(
          List.of(6, 12, 24, 16), 121,
          List.of(6, 12, 32, 32), 169,
          List.of(6, 12, 48, 32), 201);
  private static final Pattern RESNET_BLOCK = Pattern.compile("layer(\\d+)\\.(\\d+)\\..*");
  private static final Pattern DENSE_LAYER =
      Pattern.compile("features\\.denseblock(\\d+)\\.denselayer(\\d+)\\..*");

  /** Copies the lists. */
  public TorchLayout {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    outputNames = List.copyOf(outputNames);
    thresholds = List.copyOf(thresholds);
  }

  /**
   * Reads the layout of a state dict.
   *
   * @param weights the file's tensors
   * @param hint the source the user named, or null to tell it from the file
   * @return the layout
   * @throws CxrDataException naming the file when the keys are neither layout
   */
  public static TorchLayout of(StateDict weights, Pretrained.Source hint) {
    String prefix =
        !weights.keys().isEmpty() && weights.keys().stream().allMatch(k -> k.startsWith("model."))
            ? "model."
            : "";
    boolean dense = weights.contains("features.conv0.weight");
    boolean res = weights.contains(prefix + "conv1.weight");
    if (!dense && !res) {
      throw new CxrDataException(
          weights.source(),
          "not a torchvision ResNet or DenseNet state dict (no 'conv1.weight' and no"
              + " 'features.conv0.weight'; first keys: "
              + weights.keys().stream().limit(5).toList()
              + ")");
    }
    Tensor stem = weights.get(dense ? "features.conv0.weight" : prefix + "conv1.weight");
    String headKey = dense ? "classifier.weight" : prefix + "fc.weight";
    Tensor head = weights.contains(headKey) ? weights.get(headKey) : null;
    if (stem.shape().length != 4) {
      throw new CxrDataException(
          weights.source(), "the stem convolution has shape " + stem.shapeText() + ", not 4-D");
    }
    if (head == null || head.shape().length != 2) {
      throw new CxrDataException(
          weights.source(),
          "no 2-D classifier weight ('" + (dense ? "classifier" : prefix + "fc") + ".weight')");
    }
    Architecture arch = dense ? Architecture.DENSENET : Architecture.RESNET;
    int depth = dense ? denseNetDepth(weights) : resNetDepth(weights, prefix);
    if (dense) {
      checkGrowth(weights, (int) stem.shape()[0]);
    }
    List<String> names = new ArrayList<>();
    List<Double> thresholds = new ArrayList<>();
    Object pathologies = weights.attributes().get("pathologies");
    if (pathologies instanceof List<?> list && list.stream().allMatch(o -> o instanceof String)) {
      list.forEach(o -> names.add((String) o));
    }
    Object op = weights.attributes().get("op_threshs");
    if (op instanceof Tensor t) {
      for (float v : t.values()) {
        thresholds.add((double) v);
      }
    } else if (op instanceof List<?> list && list.stream().allMatch(o -> o instanceof Number)) {
      list.forEach(o -> thresholds.add(((Number) o).doubleValue()));
    }
    int classes = (int) head.shape()[0];
    int stemChannels = (int) stem.shape()[1];
    Pretrained.Source source = hint;
    if (source == null) {
      // torchxrayvision's files: named pathologies or thresholds, its ResNet's "model." prefix,
      // or (its published DenseNets, pickled before it stored either) one channel, 18 outputs
      boolean txrv =
          !names.isEmpty()
              || !thresholds.isEmpty()
              || !prefix.isEmpty()
              || (stemChannels == 1 && classes == TXRV_PATHOLOGIES.size());
      source = txrv ? Pretrained.Source.TORCHXRAYVISION : Pretrained.Source.TORCHVISION;
    }
    if (source == Pretrained.Source.TORCHXRAYVISION) {
      if (stemChannels != 1) {
        throw new CxrDataException(
            weights.source(),
            "a torchxrayvision model has a one-channel stem but this one has " + stemChannels);
      }
      if (names.isEmpty()) {
        if (classes != TXRV_PATHOLOGIES.size()) {
          throw new CxrDataException(
              weights.source(),
              "the file names no pathologies and has "
                  + classes
                  + " outputs, not torchxrayvision's "
                  + TXRV_PATHOLOGIES.size());
        }
        names.addAll(TXRV_PATHOLOGIES);
      }
    } else if (source == Pretrained.Source.TORCHVISION && stemChannels != 3) {
      throw new CxrDataException(
          weights.source(),
          "a torchvision ImageNet network has a three-channel stem but this one has "
              + stemChannels
              + " (for a torchxrayvision file say --arch txrv)");
    }
    if (!names.isEmpty() && names.size() != classes) {
      throw new CxrDataException(
          weights.source(),
          "the file names " + names.size() + " pathologies for " + classes + " outputs");
    }
    if (!thresholds.isEmpty() && thresholds.size() != classes) {
      throw new CxrDataException(
          weights.source(),
          "the file has " + thresholds.size() + " op_threshs for " + classes + " outputs");
    }
    return new TorchLayout(
        arch,
        depth,
        (int) stem.shape()[0],
        stemChannels,
        classes,
        source,
        prefix,
        names,
        thresholds);
  }

  /**
   * The display name, e.g. {@code "torchvision DenseNet-121 (3 channels, 1000 outputs)"}.
   *
   * @return one line
   */
  public String describe() {
    return source.id()
        + " "
        + architecture.displayName(depth)
        + " ("
        + stemChannels
        + (stemChannels == 1 ? " channel, " : " channels, ")
        + classes
        + " outputs)";
  }

  private static int resNetDepth(StateDict weights, String prefix) {
    TreeMap<Integer, Integer> blocks = new TreeMap<>();
    for (String key : weights.keys()) {
      Matcher m = RESNET_BLOCK.matcher(key.substring(prefix.length()));
      if (key.startsWith(prefix) && m.matches()) {
        blocks.merge(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)) + 1, Math::max);
      }
    }
    List<Integer> stages = List.copyOf(blocks.values());
    boolean bottleneck = weights.contains(prefix + "layer1.0.conv3.weight");
    Integer depth = (bottleneck ? BOTTLENECK_STAGES : BASIC_STAGES).get(stages);
    if (depth == null) {
      throw new CxrDataException(
          weights.source(),
          "a ResNet with "
              + (bottleneck ? "bottleneck" : "basic")
              + " blocks "
              + stages
              + " per stage is not one of torchvision's (18, 34: basic; 50, 101, 152:"
              + " bottleneck)");
    }
    return depth;
  }

  /** cxr's DenseNets grow by half their initial features, with bottlenecks 4 x the growth. */
  private static void checkGrowth(StateDict weights, int initFeatures) {
    String layer = "features.denseblock1.denselayer1.";
    if (!weights.contains(layer + "conv1.weight") || !weights.contains(layer + "conv2.weight")) {
      throw new CxrDataException(weights.source(), "no " + layer + "conv1/conv2 weights");
    }
    long growth = weights.get(layer + "conv2.weight").shape()[0];
    long bottleneck = weights.get(layer + "conv1.weight").shape()[0];
    if (growth * 2 != initFeatures || bottleneck != 4 * growth) {
      throw new CxrDataException(
          weights.source(),
          "a DenseNet with "
              + initFeatures
              + " initial features, growth rate "
              + growth
              + " and bottleneck "
              + bottleneck
              + " is not torchvision's proportions (growth = features / 2, bottleneck = 4 x"
              + " growth)");
    }
  }

  private static int denseNetDepth(StateDict weights) {
    TreeMap<Integer, Integer> blocks = new TreeMap<>();
    for (String key : weights.keys()) {
      Matcher m = DENSE_LAYER.matcher(key);
      if (m.matches()) {
        blocks.merge(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Math::max);
      }
    }
    List<Integer> config = List.copyOf(blocks.values());
    Integer depth = DENSENET_BLOCKS.get(config);
    if (depth == null) {
      throw new CxrDataException(
          weights.source(),
          "a DenseNet with "
              + config
              + " layers per block is not one of torchvision's 121 [6, 12, 24, 16], 169 [6, 12,"
              + " 32, 32], 201 [6, 12, 48, 32]");
    }
    return depth;
  }
}
