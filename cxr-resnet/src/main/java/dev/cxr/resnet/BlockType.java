package dev.cxr.resnet;

/**
 * The residual block used in every stage of a ResNet (He et al. 2015, arXiv 1512.03385, section 3.3
 * and figure 5).
 */
public enum BlockType {

  /** Two 3x3 convolutions; the block's output has as many channels as its inner width. */
  BASIC(1, 2),

  /** 1x1 reduce, 3x3, 1x1 expand; the block's output has four times its inner width in channels. */
  BOTTLENECK(4, 3);

  private final int expansion;
  private final int convolutionsPerBlock;

  BlockType(int expansion, int convolutionsPerBlock) {
    this.expansion = expansion;
    this.convolutionsPerBlock = convolutionsPerBlock;
  }

  /**
   * Ratio of a block's output channels to its inner width.
   *
   * @return 1 for {@link #BASIC}, 4 for {@link #BOTTLENECK}
   */
  public int expansion() {
    return expansion;
  }

  /**
   * Number of convolutions on a block's residual branch (the shortcut projection not counted);
   * these are the layers that count towards the conventional depth.
   *
   * @return 2 for {@link #BASIC}, 3 for {@link #BOTTLENECK}
   */
  public int convolutionsPerBlock() {
    return convolutionsPerBlock;
  }
}
