package dev.cxr.resnet;

import java.util.Arrays;
import java.util.List;

/**
 * The one table from depth to dense-block layout, as given in table 1 of Huang et al., "Densely
 * Connected Convolutional Networks" (CVPR 2017, arXiv 1608.06993) for DenseNet-BC and in
 * torchvision's {@code densenet121/169/201}: growth rate 32, 64 initial features, bottleneck width
 * {@code 4 * growth}, compression 0.5.
 */
public enum DenseNetDepth {

  /** DenseNet-121: 6-12-24-16 dense layers. */
  DENSENET_121(121, 32, 64, 4, 6, 12, 24, 16),
  /** DenseNet-169: 6-12-32-32 dense layers. */
  DENSENET_169(169, 32, 64, 4, 6, 12, 32, 32),
  /** DenseNet-201: 6-12-48-32 dense layers. */
  DENSENET_201(201, 32, 64, 4, 6, 12, 48, 32);

  private final int depth;
  private final int growthRate;
  private final int initFeatures;
  private final int bnSize;
  private final List<Integer> blocks;

  DenseNetDepth(int depth, int growthRate, int initFeatures, int bnSize, Integer... blocks) {
    this.depth = depth;
    this.growthRate = growthRate;
    this.initFeatures = initFeatures;
    this.bnSize = bnSize;
    this.blocks = List.of(blocks);
  }

  /**
   * Looks a depth up in the table.
   *
   * @param depth number of weighted layers, e.g. 121
   * @return the table entry
   * @throws IllegalArgumentException naming the supported depths when {@code depth} is not one of
   *     them
   */
  public static DenseNetDepth of(int depth) {
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
   * @return {@code [121, 169, 201]}
   */
  public static List<Integer> supported() {
    return Arrays.stream(values()).map(DenseNetDepth::depth).toList();
  }

  /**
   * The conventional depth: the stem convolution, two convolutions per dense layer, one per
   * transition, and the classifier.
   *
   * @return e.g. 121
   */
  public int depth() {
    return depth;
  }

  /**
   * Channels each dense layer adds ({@code k} in the paper).
   *
   * @return 32
   */
  public int growthRate() {
    return growthRate;
  }

  /**
   * Filters of the stem convolution.
   *
   * @return 64
   */
  public int initFeatures() {
    return initFeatures;
  }

  /**
   * Width of each dense layer's 1x1 bottleneck convolution in multiples of the growth rate.
   *
   * @return 4
   */
  public int bnSize() {
    return bnSize;
  }

  /**
   * Number of dense layers in each of the four dense blocks.
   *
   * @return an unmodifiable list, e.g. {@code [6, 12, 24, 16]}
   */
  public List<Integer> blocks() {
    return blocks;
  }
}
