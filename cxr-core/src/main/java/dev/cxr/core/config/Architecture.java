package dev.cxr.core.config;

import java.util.List;
import java.util.Locale;

/**
 * The network family a configuration trains; its depth is one of the family's table ({@link
 * #depths()}).
 */
public enum Architecture {
  /** Residual networks, He et al. 2015/2016 (cxr-resnet's {@code ResNets}). */
  RESNET(List.of(18, 34, 50, 101, 152)),
  /** Densely connected networks, Huang et al. 2017, torchvision layout (cxr-resnet's DenseNets). */
  DENSENET(List.of(121, 169, 201));

  private final List<Integer> depths;

  Architecture(List<Integer> depths) {
    this.depths = depths;
  }

  /**
   * The depths of this family.
   *
   * @return e.g. {@code [121, 169, 201]}
   */
  public List<Integer> depths() {
    return depths;
  }

  /**
   * The display name of one network of the family.
   *
   * @param depth a depth of {@link #depths()}
   * @return e.g. {@code "DenseNet-121"}
   */
  public String displayName(int depth) {
    return (this == RESNET ? "ResNet-" : "DenseNet-") + depth;
  }

  /**
   * The lower-case name used on the command line and in files.
   *
   * @return {@code "resnet"} or {@code "densenet"}
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Checks a depth against the family's table.
   *
   * @param depth the depth
   * @return {@code depth}
   * @throws IllegalArgumentException listing the family's depths
   */
  public int checkDepth(int depth) {
    if (!depths.contains(depth)) {
      throw new IllegalArgumentException(
          id() + " depth must be one of " + depths + " but was " + depth);
    }
    return depth;
  }
}
