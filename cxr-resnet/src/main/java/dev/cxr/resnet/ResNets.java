package dev.cxr.resnet;

import dev.cxr.resnet.compat.OneDnnHelpers;
import dev.cxr.resnet.residual.AddRelu;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Factory of residual networks as DL4J {@link ComputationGraph}s.
 *
 * <pre>{@code
 * ComputationGraph net = ResNets.builder().depth(18).preActivation(true)
 *         .inputShape(1, 256, 256).classes(2).build();
 * }</pre>
 *
 * <p>Two layouts, both with bias-free convolutions, He (ReLU) initialisation of the convolutions,
 * global average pooling and a dense head named {@code "output"} fed by the input {@code "input"}:
 *
 * <ul>
 *   <li>original, He et al., "Deep Residual Learning for Image Recognition" (2015, arXiv
 *       1512.03385), in the torchvision layout: conv 7x7/2 - BN - ReLU - max-pool 3x3/2 stem;
 *       blocks conv-BN-ReLU ... conv-BN, addition, then ReLU; stride on the 3x3 convolution
 *       (torchvision "v1.5" bottleneck); 1x1 convolution + BN projection shortcut where the shape
 *       changes;
 *   <li>pre-activation, He et al., "Identity Mappings in Deep Residual Networks" (2016, arXiv
 *       1603.05027), in the layout of the keras-resnet builder: same stem; blocks BN-ReLU-conv ...;
 *       the first block of the first stage skips its leading BN-ReLU (the stem already applied
 *       one); plain 1x1 convolution projection (no BN) taken from the block input where the shape
 *       changes; a final BN-ReLU before pooling.
 * </ul>
 *
 * Output sizes follow torchvision's arithmetic (explicit padding, floor division): 224 px gives
 * 56x56 after the stem and 7x7 before pooling.
 */
public final class ResNets {

  private ResNets() {}

  /**
   * A builder with the defaults of {@link Builder}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder preset with every field of {@code config}.
   *
   * @param config configuration to start from
   * @return a new builder; depth-table networks come back as {@code depth(d)}, others as stages
   */
  public static Builder builder(ResNetConfig config) {
    Objects.requireNonNull(config, "config");
    Builder b = new Builder();
    ResNetDepth standard =
        Arrays.stream(ResNetDepth.values())
            .filter(d -> d.blockType() == config.blockType() && d.stages().equals(config.stages()))
            .findFirst()
            .orElse(null);
    if (standard != null) {
      b.depth(standard.depth());
    } else {
      b.stages(config.stages().stream().mapToInt(Integer::intValue).toArray())
          .bottleneck(config.blockType() == BlockType.BOTTLENECK);
    }
    return b.preActivation(config.preActivation())
        .inputShape(config.inputChannels(), config.inputHeight(), config.inputWidth())
        .classes(config.classes())
        .headActivation(config.headActivation())
        .loss(config.loss())
        .width(config.width())
        .dropout(config.dropout())
        .l2(config.l2())
        .seed(config.seed())
        .updater(config.updater())
        .dataType(config.dataType())
        .batchNorm(config.batchNorm())
        .fusedAddRelu(config.fusedAddRelu())
        .inputScaling(config.inputScaling());
  }

  /**
   * The DL4J configuration of {@code config}; every {@code nIn} is inferred from the input type.
   *
   * @param config what to build
   * @return a new configuration (nothing is allocated)
   */
  public static ComputationGraphConfiguration configuration(ResNetConfig config) {
    return new ResNetGraphAssembler(Objects.requireNonNull(config, "config")).assemble();
  }

  /**
   * An initialised network for {@code config}.
   *
   * @param config what to build
   * @return a new graph with parameters initialised from {@code config.seed()}
   */
  public static ComputationGraph graph(ResNetConfig config) {
    // No global switch here: a leaf library must not patch DL4J behind its user's back. When the
    // fast path is off, say once how to turn it on (DL4J picks a layer's helper at init()).
    OneDnnHelpers.hintIfInactive();
    ComputationGraph graph = new ComputationGraph(configuration(config));
    graph.init();
    return graph;
  }

  /**
   * Builder of {@link ResNetConfig}. Every setter checks its argument at once; {@link #config()}
   * checks the combination and never changes the builder, so a builder can be reused.
   *
   * <p>Defaults, all in one place: ResNet-18 ({@link #depth(int)}), original layout, 1 x 224 x 224
   * input, 2 classes, softmax head with MCXENT loss, width 64, no dropout, no L2, seed {@value
   * NetworkBuilder#DEFAULT_SEED}, Adam with learning rate 1e-3, {@code FLOAT}, {@link
   * BatchNormImplementation#FUSED} batch norm, fused residual addition + ReLU ({@link
   * #fusedAddRelu(boolean)}; false when the system property {@value AddRelu#SWITCH_PROPERTY} is
   * {@code false}).
   */
  public static final class Builder extends NetworkBuilder<Builder> {

    private static final ResNetDepth DEFAULT_DEPTH = ResNetDepth.RESNET_18;

    private ResNetDepth depth; // null: not set (default applies unless stages set)
    private int[] stages; // null: not set
    private Boolean bottleneck; // null: not set
    private boolean preActivation = false;
    private int width = 64;
    private boolean fusedAddRelu = AddRelu.enabledByDefault();

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * A standard depth from {@link ResNetDepth}; excludes {@link #stages(int...)}.
     *
     * @param depth one of 18, 34, 50, 101, 152
     * @return this builder
     * @throws IllegalArgumentException listing the supported depths
     */
    public Builder depth(int depth) {
      this.depth = ResNetDepth.of(depth);
      return this;
    }

    /**
     * Custom stage repetitions (stage {@code i} has inner width {@code width * 2^i}); excludes
     * {@link #depth(int)}. Block type: basic unless {@link #bottleneck(boolean)} says otherwise.
     *
     * @param stages blocks per stage, 1 to 6 stages of 1 to 128 blocks each
     * @return this builder
     */
    public Builder stages(int... stages) {
      Objects.requireNonNull(stages, "stages");
      this.stages = Checks.stages(stages);
      return this;
    }

    /**
     * Block type for custom {@link #stages(int...)}. With {@link #depth(int)} it may only repeat
     * what the depth table says; a contradiction fails in {@link #config()}.
     *
     * @param bottleneck true for bottleneck blocks, false for basic blocks
     * @return this builder
     */
    public Builder bottleneck(boolean bottleneck) {
      this.bottleneck = bottleneck;
      return this;
    }

    /**
     * Chooses the layout.
     *
     * @param preActivation true for He et al. 2016 (pre-activation), false for He et al. 2015
     * @return this builder
     */
    public Builder preActivation(boolean preActivation) {
      this.preActivation = preActivation;
      return this;
    }

    /**
     * Whether each residual addition of the original layout and the ReLU after it are one cxr
     * {@link AddRelu} vertex named after the ReLU ({@code s1_b1_relu}; fewer passes over the
     * activations), or DL4J's {@code ElementWiseVertex} {@code s1_b1_add} followed by a ReLU layer
     * {@code s1_b1_relu} (the graph of models saved by older cxr versions). Same parameters and
     * results either way; the pre-activation layout has no ReLU after its additions.
     *
     * @param fusedAddRelu true (the default unless {@code -D}{@value AddRelu#SWITCH_PROPERTY}{@code
     *     =false}) for the fused vertex
     * @return this builder
     */
    public Builder fusedAddRelu(boolean fusedAddRelu) {
      this.fusedAddRelu = fusedAddRelu;
      return this;
    }

    /**
     * Base number of filters (stem and first stage; doubles per stage).
     *
     * @param width 1 to 1024; 64 in the paper, 4-8 for fast tests
     * @return this builder
     */
    public Builder width(int width) {
      this.width = Checks.inRange("width", width, 1, Checks.MAX_WIDTH);
      return this;
    }

    /**
     * The immutable configuration; the builder is left as it was.
     *
     * @return the checked configuration
     * @throws IllegalStateException when depth and stages are both set, or bottleneck contradicts
     *     depth
     * @throws IllegalArgumentException when the combination is invalid (e.g. softmax with 1 class)
     */
    public ResNetConfig config() {
      if (depth != null && stages != null) {
        throw new IllegalStateException(
            "depth("
                + depth.depth()
                + ") and stages("
                + Arrays.toString(stages)
                + ") are mutually exclusive: set one of them");
      }
      BlockType blockType;
      List<Integer> stageList;
      if (stages != null) {
        blockType = Boolean.TRUE.equals(bottleneck) ? BlockType.BOTTLENECK : BlockType.BASIC;
        stageList = Arrays.stream(stages).boxed().toList();
      } else {
        ResNetDepth d = depth != null ? depth : DEFAULT_DEPTH;
        blockType = d.blockType();
        stageList = d.stages();
        if (bottleneck != null && bottleneck != (blockType == BlockType.BOTTLENECK)) {
          throw new IllegalStateException(
              "bottleneck("
                  + bottleneck
                  + ") contradicts depth "
                  + d.depth()
                  + ", which uses "
                  + blockType
                  + " blocks; use stages(...) "
                  + "for a custom layout");
        }
      }
      ILossFunction lossFunction = lossOrDefault();
      return new ResNetConfig(
          blockType,
          stageList,
          preActivation,
          inputChannels,
          inputHeight,
          inputWidth,
          classes,
          headActivation,
          lossFunction,
          width,
          dropout,
          l2,
          seed,
          updater.clone(),
          dataType,
          batchNorm,
          fusedAddRelu,
          inputScaling);
    }

    /**
     * The DL4J configuration (nothing allocated).
     *
     * @return {@code ResNets.configuration(config())}
     */
    public ComputationGraphConfiguration buildConfiguration() {
      return configuration(config());
    }

    /**
     * An initialised network.
     *
     * @return {@code ResNets.graph(config())}
     */
    public ComputationGraph build() {
      return graph(config());
    }
  }
}
