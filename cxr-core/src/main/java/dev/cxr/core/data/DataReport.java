package dev.cxr.core.data;

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
  /**
   * One problem.
   *
   * @param kind short category, e.g. "missing image"
   * @param message one line naming the file or row
   */
  public record Problem(String kind, String message) {}

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
