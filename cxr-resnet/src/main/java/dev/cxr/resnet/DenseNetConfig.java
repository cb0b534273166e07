package dev.cxr.resnet;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Immutable description of one DenseNet: everything {@link DenseNets#configuration(DenseNetConfig)}
 * needs to produce the DL4J graph. Build it with {@link DenseNets#builder()}; the canonical
 * constructor checks every field, so a record made directly is valid too.
 *
 * <p>Layout: DenseNet-BC of Huang et al., "Densely Connected Convolutional Networks" (CVPR 2017,
 * arXiv 1608.06993), as torchvision builds it (see {@link DenseNets}).
 *
 * @param blocks number of dense layers per dense block
 * @param growthRate channels each dense layer adds ({@code k} in the paper; 32 in DenseNet-121)
 * @param initFeatures filters of the stem convolution (64 in DenseNet-121)
 * @param bnSize width of each dense layer's 1x1 bottleneck convolution in multiples of {@code
 *     growthRate} (4 in the paper)
 * @param inputChannels channels of the input image (1 for gray radiographs)
 * @param inputHeight input height in pixels, at least 32
 * @param inputWidth input width in pixels, at least 32
 * @param classes number of outputs of the dense head
 * @param headActivation softmax (exclusive classes) or sigmoid (multi-label)
 * @param loss loss of the output layer
 * @param dropout probability of dropping each pooled feature before the head; 0 for none (not
 *     torchvision's {@code drop_rate}, which drops inside every dense layer and is 0 in its models)
 * @param l2 L2 weight decay on convolution and dense weights (not biases, not BN); 0 for none
 * @param seed seed of the weight initialisation
 * @param updater optimiser, e.g. Adam
 * @param dataType floating-point type of parameters and activations
 * @param batchNorm implementation of the batch-norm layers (and whether ReLUs are fused into them)
 * @param inputScaling fixed affine map from the one-channel input to the stem's channels (for
 *     imported weights), or null for none
 */
public record DenseNetConfig(
    List<Integer> blocks,
    int growthRate,
    int initFeatures,
    int bnSize,
    int inputChannels,
    int inputHeight,
    int inputWidth,
    int classes,
    HeadActivation headActivation,
    ILossFunction loss,
    double dropout,
    double l2,
    long seed,
    IUpdater updater,
    DataType dataType,
    BatchNormImplementation batchNorm,
    InputScaling inputScaling) {

  /** Largest growth rate and largest number of initial features. */
  public static final int MAX_WIDTH = ResNetConfig.MAX_WIDTH;

  /** Largest bottleneck factor {@code bnSize}. */
  public static final int MAX_BN_SIZE = 16;

  /**
   * Checks every field (ranges as in {@link DenseNets.Builder}).
   *
   * @param blocks dense layers per block, 1 to 6 blocks of 1 to 128 layers (copied)
   * @param growthRate 1 to 1024
   * @param initFeatures 1 to 1024
   * @param bnSize 1 to 16
   * @param inputChannels 1 to 256
   * @param inputHeight 32 to 4096, and large enough for every transition's 2x2 pooling
   * @param inputWidth 32 to 4096, and large enough for every transition's 2x2 pooling
   * @param classes 1 to 100000, at least {@link HeadActivation#minimumClasses()}
   * @param headActivation softmax or sigmoid
   * @param loss loss of the output layer
   * @param dropout in [0, 1)
   * @param l2 finite, >= 0
   * @param seed any value
   * @param updater optimiser
   * @param dataType a floating-point type
   * @param batchNorm batch-norm implementation
   * @param inputScaling null, or a scaling of a one-channel input
   * @throws IllegalArgumentException naming the first bad field and its value
   * @throws NullPointerException for a null reference field
   */
  public DenseNetConfig {
    Objects.requireNonNull(blocks, "blocks");
    Objects.requireNonNull(headActivation, "headActivation");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(updater, "updater");
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(batchNorm, "batchNorm");
    blocks = List.copyOf(blocks);
    Checks.repetitions("blocks", "layers", blocks.stream().mapToInt(Integer::intValue).toArray());
    Checks.inRange("growthRate", growthRate, 1, MAX_WIDTH);
    Checks.inRange("initFeatures", initFeatures, 1, MAX_WIDTH);
    Checks.inRange("bnSize", bnSize, 1, MAX_BN_SIZE);
    Checks.inRange("inputChannels", inputChannels, 1, Checks.MAX_INPUT_CHANNELS);
    Checks.inputSize("inputHeight", inputHeight);
    Checks.inputSize("inputWidth", inputWidth);
    Checks.inRange("classes", classes, 1, Checks.MAX_CLASSES);
    Checks.dropout(dropout);
    Checks.l2(l2);
    Checks.inputScaling(inputScaling, inputChannels);
    Checks.floatingPoint(dataType);
    Checks.classesForHead(classes, headActivation);
    checkTransitions("inputHeight", inputHeight, blocks.size());
    checkTransitions("inputWidth", inputWidth, blocks.size());
  }

  /**
   * The stem (conv 7x7/2 pad 3, max-pool 3x3/2 pad 1) divides the size by 4, each transition's 2x2
   * average pooling (no padding) halves it again: every transition needs at least 2 pixels.
   */
  private static void checkTransitions(String name, int size, int blocks) {
    int n = (size - 1) / 2 + 1; // conv0
    n = (n - 1) / 2 + 1; // pool0
    for (int t = 1; t < blocks; t++) {
      if (n < 2) {
        throw new IllegalArgumentException(
            name
                + " "
                + size
                + " is too small for "
                + blocks
                + " dense blocks: "
                + n
                + " pixel is left before transition "
                + t
                + ", whose 2x2 pooling needs 2");
      }
      n /= 2;
    }
  }

  /**
   * The conventional depth: stem convolution + two convolutions per dense layer + one per
   * transition + the classifier (121 for blocks {@code [6, 12, 24, 16]}).
   *
   * @return number of weighted layers on the longest path
   */
  public int depth() {
    return 2 + 2 * blocks.stream().mapToInt(Integer::intValue).sum() + blocks.size() - 1;
  }

  /**
   * Channels entering dense block {@code block} (0-based): {@code initFeatures} for the first, half
   * (rounded down) of the previous block's output after each transition.
   *
   * @param block 0-based block index
   * @return input channels of the block's first dense layer
   */
  public int blockInputChannels(int block) {
    Objects.checkIndex(block, blocks.size());
    int channels = initFeatures;
    for (int b = 0; b < block; b++) {
      channels = (channels + blocks.get(b) * growthRate) / 2;
    }
    return channels;
  }

  /**
   * Channels leaving dense block {@code block} (0-based): its input plus {@code growthRate} per
   * dense layer.
   *
   * @param block 0-based block index
   * @return channels of the block's last concatenation
   */
  public int blockOutputChannels(int block) {
    return blockInputChannels(block) + blocks.get(block) * growthRate;
  }

  /**
   * Channels entering {@code norm5}, the pooling layer and the dense head.
   *
   * @return the last block's output channels (1024 for DenseNet-121)
   */
  public int featureChannels() {
    return blockOutputChannels(blocks.size() - 1);
  }

  /**
   * Filters of each dense layer's 1x1 bottleneck convolution.
   *
   * @return {@code bnSize * growthRate}
   */
  public int bottleneckWidth() {
    return bnSize * growthRate;
  }

  /**
   * Channels the stem convolution reads: those of the input scaling when there is one.
   *
   * @return {@code inputScaling.channels()} or {@code inputChannels}
   */
  public int stemChannels() {
    return inputScaling != null ? inputScaling.channels() : inputChannels;
  }

  /** The table entry with exactly this layout, or null. */
  DenseNetDepth standard() {
    return Arrays.stream(DenseNetDepth.values())
        .filter(
            d ->
                d.blocks().equals(blocks)
                    && d.growthRate() == growthRate
                    && d.initFeatures() == initFeatures
                    && d.bnSize() == bnSize)
        .findFirst()
        .orElse(null);
  }

  /**
   * A short human-readable name: {@code "DenseNet-121"} for a table layout, otherwise the depth and
   * the layout, e.g. {@code "DenseNet-11 (blocks [2, 2], growth 4, 8 initial features, bn size
   * 2)"}.
   *
   * @return name with depth
   */
  public String displayName() {
    String name = "DenseNet-" + depth();
    return standard() != null
        ? name
        : name
            + " (blocks "
            + blocks
            + ", growth "
            + growthRate
            + ", "
            + initFeatures
            + " initial features, bn size "
            + bnSize
            + ")";
  }
}
