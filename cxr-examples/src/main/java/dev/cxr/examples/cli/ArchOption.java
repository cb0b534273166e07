package dev.cxr.examples.cli;

import dev.cxr.core.config.Architecture;
import dev.cxr.core.config.Pretrained;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --arch} names: {@code resnet18} ... {@code resnet152}, {@code densenet121} ... {@code
 * densenet201} (a network family and depth) and {@code txrv} (a torchxrayvision file, whichever its
 * network).
 *
 * @param architecture the family, or null for {@code txrv}
 * @param depth the depth, or 0 for {@code txrv}
 * @param source the weight source it implies ({@code txrv}), or null
 */
record ArchOption(Architecture architecture, int depth, Pretrained.Source source) {

  /**
   * Every accepted name.
   *
   * @return e.g. {@code [resnet18, ..., densenet201, txrv]}
   */
  static List<String> names() {
    List<String> names = new ArrayList<>();
    for (Architecture a : Architecture.values()) {
      a.depths().forEach(d -> names.add(a.id() + d));
    }
    names.add("txrv");
    return names;
  }

  /**
   * Parses a name.
   *
   * @param option the option, named in the error
   * @param value e.g. {@code densenet121}
   * @return the parsed name
   * @throws IllegalArgumentException naming the option and the accepted names
   */
  static ArchOption parse(String option, String value) {
    String v = value.toLowerCase(Locale.ROOT).replace("-", "");
    if (v.equals("txrv") || v.equals("torchxrayvision")) {
      return new ArchOption(null, 0, Pretrained.Source.TORCHXRAYVISION);
    }
    for (Architecture a : Architecture.values()) {
      for (int d : a.depths()) {
        if (v.equals(a.id() + d)) {
          return new ArchOption(a, d, null);
        }
      }
    }
    throw new IllegalArgumentException(
        option + " must be one of " + names() + " but was '" + value + "'");
  }

  /**
   * Checks that a file's network is the one named.
   *
   * @param option the option, named in the error
   * @param architecture the file's family
   * @param depth the file's depth
   * @param described the file's network in words
   * @throws IllegalArgumentException when they differ
   */
  void check(String option, Architecture architecture, int depth, String described) {
    if (this.architecture != null && (this.architecture != architecture || this.depth != depth)) {
      throw new IllegalArgumentException(
          option
              + " says "
              + this.architecture.displayName(this.depth)
              + " but the file holds a "
              + described);
    }
  }
}
