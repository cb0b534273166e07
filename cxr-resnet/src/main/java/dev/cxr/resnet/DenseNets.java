package dev.cxr.resnet;

import dev.cxr.resnet.compat.OneDnnHelpers;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Factory of densely connected networks as DL4J {@link ComputationGraph}s: DenseNet-BC of Huang,
 * Liu, van der Maaten and Weinberger, "Densely Connected Convolutional Networks" (CVPR 2017, arXiv
 * 1608.06993), in the layout of torchvision's {@code torchvision.models.DenseNet}.
 *
 * <pre>{@code
 * ComputationGraph net = DenseNets.builder().depth(121)
 *         .inputShape(1, 224, 224).classes(2).build();
 * }</pre>
 *
 * <p>Layout (torchvision): stem conv 7x7/2 pad 3 - BN - ReLU - max-pool 3x3/2 pad 1; dense blocks
 * of dense layers BN - ReLU - conv 1x1 ({@code bnSize * growthRate} filters) - BN - ReLU - conv 3x3
 * pad 1 ({@code growthRate} filters), each layer's output concatenated after its input (input
 * channels first, as {@code torch.cat}); between blocks a transition BN - ReLU - conv 1x1 (half the
 * channels, rounded down: compression 0.5) - average pool 2x2/2; after the last block BN - ReLU,
 * global average pooling and a dense head with bias. Every convolution is bias-free with He (ReLU)
 * initialisation; every batch norm is followed by a ReLU. Batch norms have torchvision's eps 1e-5
 * and momentum 0.1 (DL4J decay 0.9).
 *
 * <p>Vertex names are torchvision's module paths without {@code features.}, dots replaced by {@code
 * _}, so that a state-dict key maps to a vertex by name:
 *
 * <ul>
 *   <li>{@code input}; then, with an {@link InputScaling}, its vertices ({@code input_scale}, ...);
 *   <li>{@code conv0}, {@code norm0}, {@code pool0};
 *   <li>per block {@code i} and dense layer {@code j} (1-based): {@code
 *       denseblock<i>_denselayer<j>_norm1}, {@code _conv1}, {@code _norm2}, {@code _conv2}, and the
 *       {@code MergeVertex} {@code denseblock<i>_denselayer<j>_concat} (not a torchvision module);
 *   <li>after every block but the last: {@code transition<i>_norm}, {@code transition<i>_conv},
 *       {@code transition<i>_pool};
 *   <li>{@code norm5}, {@code pool} (global average pooling), {@code output} (the dense head:
 *       torchvision's {@code classifier}).
 * </ul>
 *
 * With {@link BatchNormImplementation#FUSED} (the default) each {@code norm} vertex is one {@link
 * dev.cxr.resnet.bn.FusedBatchNormalization} with its ReLU fused in, under the batch norm's name.
 * With {@link BatchNormImplementation#DL4J} the {@code norm} vertex is DL4J's batch norm and a ReLU
 * layer follows it, named with {@code norm} replaced by {@code relu}: {@code relu0}, {@code
 * denseblock1_denselayer1_relu1}, {@code transition1_relu}, {@code relu5}.
 *
 * <p>Output sizes follow torchvision's arithmetic: 224 px gives 56x56 after {@code pool0} and 7x7
 * before pooling.
 */
public final class DenseNets {

  private DenseNets() {}

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
   * @return a new builder; table layouts come back as {@code depth(d)}, others as blocks
   */
  public static Builder builder(DenseNetConfig config) {
    Objects.requireNonNull(config, "config");
    Builder b = new Builder();
    DenseNetDepth standard =
        Arrays.stream(DenseNetDepth.values())
            .filter(d -> d.blocks().equals(config.blocks()))
            .findFirst()
            .orElse(null);
    if (standard != null) {
      b.depth(standard.depth());
    } else {
      b.blocks(config.blocks().stream().mapToInt(Integer::intValue).toArray());
    }
    return b.growthRate(config.growthRate())
        .initFeatures(config.initFeatures())
        .bnSize(config.bnSize())
        .inputShape(config.inputChannels(), config.inputHeight(), config.inputWidth())
        .classes(config.classes())
        .headActivation(config.headActivation())
        .loss(config.loss())
        .dropout(config.dropout())
        .l2(config.l2())
        .seed(config.seed())
        .updater(config.updater())
        .dataType(config.dataType())
        .batchNorm(config.batchNorm())
        .inputScaling(config.inputScaling());
  }

  /**
   * The DL4J configuration of {@code config}; every {@code nIn} is inferred from the input type.
   *
   * @param config what to build
   * @return a new configuration (nothing is allocated)
   */
  public static ComputationGraphConfiguration configuration(DenseNetConfig config) {
    return new DenseNetGraphAssembler(Objects.requireNonNull(config, "config")).assemble();
  }

  /**
   * An initialised network for {@code config}.
   *
   * @param config what to build
   * @return a new graph with parameters initialised from {@code config.seed()}
   */
  public static ComputationGraph graph(DenseNetConfig config) {
    OneDnnHelpers.hintIfInactive();
    ComputationGraph graph = new ComputationGraph(configuration(config));
    graph.init();
    return graph;
  }

  /**
   * Builder of {@link DenseNetConfig}. Every setter checks its argument at once; {@link #config()}
   * checks the combination and never changes the builder, so a builder can be reused.
   *
   * <p>Defaults, all in one place: DenseNet-121 ({@link #depth(int)}: blocks 6-12-24-16, growth
   * rate 32, 64 initial features, bn size 4), 1 x 224 x 224 input, 2 classes, softmax head with
   * MCXENT loss, no dropout, no L2, seed {@value NetworkBuilder#DEFAULT_SEED}, Adam with learning
   * rate 1e-3, {@code FLOAT}, {@link BatchNormImplementation#FUSED} batch norm, no input scaling.
   * Growth rate, initial features and bn size default to the depth's table entry (DenseNet-121's
   * for custom blocks) and may be set with either.
   */
  public static final class Builder extends NetworkBuilder<Builder> {

    private static final DenseNetDepth DEFAULT_DEPTH = DenseNetDepth.DENSENET_121;

    private DenseNetDepth depth; // null: not set (default applies unless blocks set)
    private int[] blocks; // null: not set
    private Integer growthRate; // null: the table's
    private Integer initFeatures; // null: the table's
    private Integer bnSize; // null: the table's

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * A standard layout from {@link DenseNetDepth}; excludes {@link #blocks(int...)}.
     *
     * @param depth one of 121, 169, 201
     * @return this builder
     * @throws IllegalArgumentException listing the supported depths
     */
    public Builder depth(int depth) {
      this.depth = DenseNetDepth.of(depth);
      return this;
    }

    /**
     * Custom dense layers per block; excludes {@link #depth(int)}.
     *
     * @param blocks dense layers per block, 1 to 6 blocks of 1 to 128 layers each
     * @return this builder
     */
    public Builder blocks(int... blocks) {
      Objects.requireNonNull(blocks, "blocks");
      this.blocks = Checks.repetitions("blocks", "layers", blocks);
      return this;
    }

    /**
     * Channels each dense layer adds ({@code k} in the paper).
     *
     * @param growthRate 1 to 1024; 32 in DenseNet-121/169/201, 4 for fast tests
     * @return this builder
     */
    public Builder growthRate(int growthRate) {
      this.growthRate = Checks.inRange("growthRate", growthRate, 1, DenseNetConfig.MAX_WIDTH);
      return this;
    }

    /**
     * Filters of the stem convolution.
     *
     * @param initFeatures 1 to 1024; 64 in DenseNet-121/169/201, 8 for fast tests
     * @return this builder
     */
    public Builder initFeatures(int initFeatures) {
      this.initFeatures = Checks.inRange("initFeatures", initFeatures, 1, DenseNetConfig.MAX_WIDTH);
      return this;
    }

    /**
     * Width of each dense layer's 1x1 bottleneck convolution in multiples of the growth rate.
     *
     * @param bnSize 1 to 16; 4 in the paper
     * @return this builder
     */
    public Builder bnSize(int bnSize) {
      this.bnSize = Checks.inRange("bnSize", bnSize, 1, DenseNetConfig.MAX_BN_SIZE);
      return this;
    }

    /**
     * The immutable configuration; the builder is left as it was.
     *
     * @return the checked configuration
     * @throws IllegalStateException when depth and blocks are both set
     * @throws IllegalArgumentException when the combination is invalid (e.g. softmax with 1 class,
     *     an input too small for the number of blocks)
     */
    public DenseNetConfig config() {
      if (depth != null && blocks != null) {
        throw new IllegalStateException(
            "depth("
                + depth.depth()
                + ") and blocks("
                + Arrays.toString(blocks)
                + ") are mutually exclusive: set one of them");
      }
      DenseNetDepth table = depth != null ? depth : DEFAULT_DEPTH;
      List<Integer> blockList =
          blocks != null ? Arrays.stream(blocks).boxed().toList() : table.blocks();
      return new DenseNetConfig(
          blockList,
          growthRate != null ? growthRate : table.growthRate(),
          initFeatures != null ? initFeatures : table.initFeatures(),
          bnSize != null ? bnSize : table.bnSize(),
          inputChannels,
          inputHeight,
          inputWidth,
          classes,
          headActivation,
          lossOrDefault(),
          dropout,
          l2,
          seed,
          updater.clone(),
          dataType,
          batchNorm,
          inputScaling);
    }

    /**
     * The DL4J configuration (nothing allocated).
     *
     * @return {@code DenseNets.configuration(config())}
     */
    public ComputationGraphConfiguration buildConfiguration() {
      return configuration(config());
    }

    /**
     * An initialised network.
     *
     * @return {@code DenseNets.graph(config())}
     */
    public ComputationGraph build() {
      return graph(config());
    }
  }
}
