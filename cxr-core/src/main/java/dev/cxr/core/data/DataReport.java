package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Problems found while reading a data set, kept when running leniently ({@code skipBad}): each bad
 * item is skipped, counted by kind and described in one line that names the file or row.
 * Thread-safe.
 */
public final class DataReport {
  /** Kind of an image that could not be decoded. */
  public static final String UNREADABLE_IMAGE = "unreadable image";

  /**
   * One problem.
   *
   * @param kind short category, e.g. "missing image"
   * @param message one line naming the file or row
   * @param item the skipped item in a few words (a file name, {@code name, row N}), or null for a
   *     note that skipped nothing of its own (a dropped batch, an identical duplicate file)
   * @param reason what is wrong with the item, without its name; the message when there is no item
   */
  public record Problem(String kind, String message, String item, String reason) {
    /**
     * A note: a problem with no item of its own.
     *
     * @param kind short category
     * @param message one line
     */
    public Problem(String kind, String message) {
      this(kind, message, null, message);
    }
  }

  private final List<Problem> problems = new ArrayList<>();

  /**
   * Records a problem.
   *
   * @param kind short category
   * @param message one line naming the file or row
   */
  public synchronized void add(String kind, String message) {
    problems.add(new Problem(kind, message));
  }

  /**
   * Records a skipped item from the exception that would have stopped a strict run.
   *
   * @param kind short category
   * @param e the error, naming the file (and row)
   */
  public void add(String kind, CxrDataException e) {
    add(kind, e, "");
  }

  /**
   * Records a skipped item, with a remark after the exception's message.
   *
   * @param kind short category
   * @param e the error, naming the file (and row)
   * @param remark appended to the message and reason, e.g. {@code "; all copies dropped"}
   */
  public void add(String kind, CxrDataException e, String remark) {
    String item =
        e.file()
            .map(f -> f.getFileName() + (e.row() > 0 ? ", row " + e.row() : ""))
            .orElse(e.row() > 0 ? "row " + e.row() : "?");
    add(new Problem(kind, e.getMessage() + remark, item, e.reason() + remark));
  }

  /**
   * Records a problem as it is (e.g. one copied from another report).
   *
   * @param p the problem
   */
  public synchronized void add(Problem p) {
    problems.add(p);
  }

  /**
   * @return every problem, in the order found
   */
  public synchronized List<Problem> problems() {
    return List.copyOf(problems);
  }

  /**
   * @return number of problems per kind, sorted by kind
   */
  public synchronized Map<String, Integer> countsByKind() {
    Map<String, Integer> m = new TreeMap<>();
    for (Problem p : problems) {
      m.merge(p.kind(), 1, Integer::sum);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * @return whether no problem was found
   */
  public synchronized boolean isEmpty() {
    return problems.isEmpty();
  }
}
