package example.consumer;

import java.util.ArrayList;
import java.util.List;

/** Reads the text output of {@code mvn dependency:tree}. */
final class Trees {
  private Trees() {}

  /** The line of the first node containing {@code marker} and every line below it. */
  static List<String> subtree(List<String> lines, String marker) {
    List<String> out = new ArrayList<>();
    int depth = -1;
    for (String line : lines) {
      int d = depth(line);
      if (depth < 0) {
        if (line.contains(marker)) {
          depth = d;
          out.add(line);
        }
      } else if (d > depth) {
        out.add(line);
      } else {
        break;
      }
    }
    if (out.isEmpty()) {
      throw new AssertionError(marker + " not in the tree:\n" + String.join("\n", lines));
    }
    return out;
  }

  /** Column of the artifact: each level of the tree indents by 3 characters. */
  private static int depth(String line) {
    int i = 0;
    while (i < line.length() && " |+-\\".indexOf(line.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }
}
