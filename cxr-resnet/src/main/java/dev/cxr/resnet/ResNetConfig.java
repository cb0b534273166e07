package dev.cxr.resnet;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Immutable description of one ResNet: everything {@link ResNets#configuration(ResNetConfig)} needs
 * to produce the DL4J graph. Build it with {@link ResNets#builder()}; the canonical constructor
 * checks every field, so a record made directly is valid too.
 *
 * <p>Layouts: He et al., "Deep Residual Learning for Image Recognition" (2015, arXiv 1512.03385)
 * when {@code preActivation} is false; He et al., "Identity Mappings in Deep Residual Networks"
 * (2016, arXiv 1603.05027) when it is true.
 *
 * @param blockType residual block of every stage
 * @param stages number of blocks per stage (stage {@code i} has inner width {@code width * 2^i})
 * @param preActivation true for the 2016 pre-activation layout (BN-ReLU-conv blocks)
 * @param inputChannels channels of the input image (1 for gray radiographs)
 * @param inputHeight input height in pixels, at least 32
 * @param inputWidth input width in pixels, at least 32
 * @param classes number of outputs of the dense head
 * @param headActivation softmax (exclusive classes) or sigmoid (multi-label)
 * @param loss loss of the output layer
 * @param width base number of filters (stem and first stage); 64 in the paper
 * @param dropout probability of dropping each pooled feature before the head; 0 for none
 * @param l2 L2 weight decay on convolution and dense weights (not biases, not BN); 0 for none
 * @param seed seed of the weight initialisation
 * @param updater optimiser, e.g. Adam
 * @param dataType floating-point type of parameters and activations
 * @param batchNorm implementation of the batch-norm layers (and whether ReLUs are fused into them)
 * @param fusedAddRelu true when each residual addition of the original layout and the ReLU after it
 *     are one {@link dev.cxr.resnet.residual.AddRelu} vertex (named after the ReLU, {@code
 *     s1_b1_relu}; no {@code _add} vertex), false for DL4J's addition vertex then a ReLU layer; the
 *     pre-activation layout has no ReLU after its additions and ignores it
 * @param inputScaling fixed affine map from the one-channel input to the stem's channels (for
 *     imported weights), or null for none
 */
public record ResNetConfig(
    BlockType blockType,
    List<Integer> stages,
    boolean preActivation,
    int inputChannels,
    int inputHeight,
    int inputWidth,
    int classes,
    HeadActivation headActivation,
    ILossFunction loss,
    int width,
    double dropout,
    double l2,
    long seed,
    IUpdater updater,
    DataType dataType,
    BatchNormImplementation batchNorm,
    boolean fusedAddRelu,
    InputScaling inputScaling) {

  /** Smallest input height and width in pixels (five stride-2 steps leave at least 1 x 1). */
  public static final int MIN_INPUT_SIZE = 32;

  /** Largest input height and width in pixels. */
  public static final int MAX_INPUT_SIZE = 4096;

  /** Largest base width (filters of the stem and first stage). */
  public static final int MAX_WIDTH = 1024;

  /**
   * Checks every field (ranges as in {@link ResNets.Builder}).
   *
   * @param blockType residual block of every stage
   * @param stages blocks per stage, 1 to 6 stages of 1 to 128 blocks (copied)
   * @param preActivation true for the 2016 pre-activation layout
   * @param inputChannels 1 to 256
   * @param inputHeight 32 to 4096
   * @param inputWidth 32 to 4096
   * @param classes 1 to 100000, at least {@link HeadActivation#minimumClasses()}
   * @param headActivation softmax or sigmoid
   * @param loss loss of the output layer
   * @param width 1 to 1024
   * @param dropout in [0, 1)
   * @param l2 finite, >= 0
   * @param seed any value
   * @param updater optimiser
   * @param dataType a floating-point type
   * @param batchNorm batch-norm implementation
   * @param fusedAddRelu one vertex for each addition + ReLU of the original layout
   * @param inputScaling null, or a scaling of a one-channel input
   * @throws IllegalArgumentException naming the first bad field and its value
   * @throws NullPointerException for a null reference field
   */
  public ResNetConfig {
    Objects.requireNonNull(blockType, "blockType");
    Objects.requireNonNull(stages, "stages");
    Objects.requireNonNull(headActivation, "headActivation");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(updater, "updater");
    Objects.requireNonNull(dataType, "dataType");
    Objects.requireNonNull(batchNorm, "batchNorm");
    stages = List.copyOf(stages);
    Checks.stages(stages.stream().mapToInt(Integer::intValue).toArray());
    Checks.inRange("inputChannels", inputChannels, 1, Checks.MAX_INPUT_CHANNELS);
    Checks.inputSize("inputHeight", inputHeight);
    Checks.inputSize("inputWidth", inputWidth);
    Checks.inRange("classes", classes, 1, Checks.MAX_CLASSES);
    Checks.inRange("width", width, 1, Checks.MAX_WIDTH);
    Checks.dropout(dropout);
    Checks.l2(l2);
    Checks.inputScaling(inputScaling, inputChannels);
    Checks.floatingPoint(dataType);
    Checks.classesForHead(classes, headActivation);
    long widest = (long) width << (stages.size() - 1);
    if (widest * blockType.expansion() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "width "
              + width
              + " with "
              + stages.size()
              + " stages gives more than "
              + Integer.MAX_VALUE
              + " channels");
    }
  }

  /**
   * The conventional depth: stem convolution + residual-branch convolutions + dense head (18 for
   * {@code BASIC [2, 2, 2, 2]}).
   *
   * @return number of weighted layers on the longest path
   */
  public int depth() {
    return 2 + stages.stream().mapToInt(Integer::intValue).sum() * blockType.convolutionsPerBlock();
  }

  /**
   * Inner width of stage {@code stage} (0-based): {@code width * 2^stage}.
   *
   * @param stage 0-based stage index
   * @return number of filters of the stage's 3x3 convolutions
   */
  public int stageWidth(int stage) {
    Objects.checkIndex(stage, stages.size());
    return width << stage;
  }

  /**
   * Channels entering the pooling layer and the dense head.
   *
   * @return {@code stageWidth(last) * blockType.expansion()}
   */
  public int featureChannels() {
    return stageWidth(stages.size() - 1) * blockType.expansion();
  }

  /**
   * Channels the stem convolution reads: those of the input scaling when there is one.
   *
   * @return {@code inputScaling.channels()} or {@code inputChannels}
   */
  public int stemChannels() {
    return inputScaling != null ? inputScaling.channels() : inputChannels;
  }

  /**
   * A short human-readable name, e.g. {@code "ResNet-50 (pre-activation)"}.
   *
   * @return name with depth and variant
   */
  public String displayName() {
    return "ResNet-" + depth() + (preActivation ? " (pre-activation)" : " (original)");
  }
}
