package dev.cxr.core.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one line every command that honours {@code --skip-bad} ends with: how many items were skipped
 * and the first few of them, e.g. {@code skipped 3 bad items: a.png (not a readable PNG image: CRC
 * mismatch in IDAT chunk at byte 33), b.png (...), c.png (...)}. Written here once, so train,
 * crossval, lr-find, evaluate, predict and bench-loader all say it the same way.
 *
 * <p>An item reported more than once (the same image in every fold of a cross-validation) is
 * counted once. Notes that skipped nothing of their own (a dropped batch, whose images are already
 * counted; an identical duplicate file, of which one copy is used) are not counted.
 */
public final class SkipReport {
  /** How many skipped items the line names. */
  public static final int SHOWN = 3;

  private SkipReport() {}

  /**
   * The line for a report.
   *
   * @param report what was skipped
   * @return the line, or empty when nothing was skipped
   */
  public static Optional<String> line(DataReport report) {
    // keyed by the whole message (it names the file's path), in the order found
    Map<String, DataReport.Problem> skipped = new LinkedHashMap<>();
    for (DataReport.Problem p : report.problems()) {
      if (p.item() != null) {
        skipped.putIfAbsent(p.message(), p);
      }
    }
    if (skipped.isEmpty()) {
      return Optional.empty();
    }
    int n = skipped.size();
    String shown =
        skipped.values().stream()
            .limit(SHOWN)
            .map(p -> p.item() + " (" + p.reason() + ")")
            .collect(Collectors.joining(", "));
    return Optional.of(
        "skipped "
            + n
            + " bad item"
            + (n == 1 ? "" : "s")
            + ": "
            + shown
            + (n > SHOWN ? " and " + (n - SHOWN) + " more" : ""));
  }
}
