package dev.cxr.resnet;

import java.util.Arrays;
import java.util.List;

/**
 * The one table from depth to block type and stage repetitions, as given in table 1 of He et al.,
 * "Deep Residual Learning for Image Recognition" (2015, arXiv 1512.03385).
 */
public enum ResNetDepth {

  /** ResNet-18: basic blocks, 2-2-2-2. */
  RESNET_18(18, BlockType.BASIC, 2, 2, 2, 2),
  /** ResNet-34: basic blocks, 3-4-6-3. */
  RESNET_34(34, BlockType.BASIC, 3, 4, 6, 3),
  /** ResNet-50: bottleneck blocks, 3-4-6-3. */
  RESNET_50(50, BlockType.BOTTLENECK, 3, 4, 6, 3),
  /** ResNet-101: bottleneck blocks, 3-4-23-3. */
  RESNET_101(101, BlockType.BOTTLENECK, 3, 4, 23, 3),
  /** ResNet-152: bottleneck blocks, 3-8-36-3. */
  RESNET_152(152, BlockType.BOTTLENECK, 3, 8, 36, 3);

  private final int depth;
  private final BlockType blockType;
  private final List<Integer> stages;

  ResNetDepth(int depth, BlockType blockType, Integer... stages) {
    this.depth = depth;
    this.blockType = blockType;
    this.stages = List.of(stages);
  }

  /**
   * Looks a depth up in the table.
   *
   * @param depth number of weighted layers, e.g. 50
   * @return the table entry
   * @throws IllegalArgumentException naming the supported depths when {@code depth} is not one of
   *     them
   */
  public static ResNetDepth of(int depth) {
    return Arrays.stream(values())
        .filter(d -> d.depth == depth)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "depth must be one of " + supported() + " but was " + depth));
  }

  /**
   * The depths in the table, ascending.
   *
   * @return e.g. {@code [18, 34, 50, 101, 152]}
   */
  public static List<Integer> supported() {
    return Arrays.stream(values()).map(ResNetDepth::depth).toList();
  }

  /**
   * The conventional depth (convolutions and the dense head, counted as in the paper).
   *
   * @return e.g. 50
   */
  public int depth() {
    return depth;
  }

  /**
   * The block type of every stage.
   *
   * @return basic for 18 and 34, bottleneck from 50 on
   */
  public BlockType blockType() {
    return blockType;
  }

  /**
   * Number of blocks in each of the four stages.
   *
   * @return an unmodifiable list, e.g. {@code [3, 4, 6, 3]}
   */
  public List<Integer> stages() {
    return stages;
  }
}
