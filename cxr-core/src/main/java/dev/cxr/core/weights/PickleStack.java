package dev.cxr.core.weights;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.weights.Py.PyDict;
import dev.cxr.core.weights.Py.PyList;
import dev.cxr.core.weights.Py.PySet;
import dev.cxr.core.weights.Py.PyTuple;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Unpickler}'s machine state: the value stack, its MARKs and the memo, and the
 * containers built on it, each checked as it grows: the memo against {@link
 * WeightLimits#maxMemoEntries()}, open MARKs and the nesting of containers against {@link
 * WeightLimits#maxPickleDepth()}, dict keys and set items to scalars.
 */
final class PickleStack {
  private final Path file;
  private final WeightLimits limits;
  private final PickleInput in;
  private final List<Object> stack = new ArrayList<>();
  private int[] marks = new int[16];
  private int markCount;
  private final Map<Long, Object> memo = new HashMap<>();

  PickleStack(Path file, WeightLimits limits, PickleInput in) {
    this.file = file;
    this.limits = limits;
    this.in = in;
  }

  /** Empties the stack, the MARKs and the memo for the next pickle. */
  void clear() {
    stack.clear();
    markCount = 0;
    memo.clear();
  }

  /** STOP: the one value left, with no MARK open. */
  Object finish(long at) {
    if (stack.size() != 1 || markCount != 0) {
      throw fail(
          "malformed pickle: STOP at byte "
              + at
              + " with "
              + stack.size()
              + " values on the stack");
    }
    return stack.remove(0);
  }

  /** POP: the top value, or the MARK of an empty frame. */
  void popValueOrMark() {
    if (markCount > 0 && marks[markCount - 1] == stack.size()) {
      popMark();
    } else {
      pop();
    }
  }

  /** MEMOIZE: the next free memo index. */
  long memoSize() {
    return memo.size();
  }

  void append(Object item, long at) {
    if (!(peek() instanceof PyList list)) {
      throw fail("APPEND to a " + Py.typeName(peek()) + " at byte " + at);
    }
    list.items.add(item);
    list.depth = Math.max(list.depth, Py.depth(item) + 1);
    checkDepth(list.depth, at);
  }

  void setItem(Object k, Object v, long at) {
    if (!(peek() instanceof PyDict d)) {
      throw fail("SETITEM on a " + Py.typeName(peek()) + " at byte " + at);
    }
    setItem(d, k, v, at);
  }

  void setItem(PyDict d, Object k, Object v, long at) {
    if (!hashable(k)) {
      throw fail(
          "a dict key of type "
              + Py.typeName(k)
              + " at byte "
              + at
              + " (str, int, float, bool or None are read)");
    }
    d.map.put(k, v);
    d.depth = Math.max(d.depth, Py.depth(v) + 1);
    checkDepth(d.depth, at);
  }

  void addToSet(PySet s, Object o) {
    if (!hashable(o)) {
      throw fail(
          "a set item of type " + Py.typeName(o) + " (str, int, float, bool or None are read)");
    }
    s.items.add(o);
  }

  /** Keys are scalars only: hashing them never recurses into a hostile structure. */
  private static boolean hashable(Object k) {
    return k == null
        || k instanceof String
        || k instanceof Long
        || k instanceof BigInteger
        || k instanceof Double
        || k instanceof Boolean;
  }

  PyTuple tuple(List<Object> items) {
    PyTuple t = new PyTuple(Collections.unmodifiableList(new ArrayList<>(items)));
    for (Object o : items) {
      t.depth = Math.max(t.depth, Py.depth(o) + 1);
    }
    checkDepth(t.depth, in.position());
    return t;
  }

  void checkDepth(int depth, long at) {
    if (depth > limits.maxPickleDepth()) {
      throw fail(
          "pickle nested deeper than "
              + limits.maxPickleDepth()
              + " at byte "
              + at
              + " (WeightLimits.maxPickleDepth)");
    }
  }

  void put(long index, long at) {
    if (stack.isEmpty()) {
      throw fail("memo PUT on an empty stack at byte " + at);
    }
    if (!memo.containsKey(index) && memo.size() >= limits.maxMemoEntries()) {
      throw fail(
          "more than " + limits.maxMemoEntries() + " memo entries (WeightLimits.maxMemoEntries)");
    }
    memo.put(index, peek());
  }

  void get(long index, long at) {
    if (!memo.containsKey(index)) {
      throw fail("memo GET of " + index + ", which was never PUT, at byte " + at);
    }
    push(memo.get(index));
  }

  void push(Object o) {
    stack.add(o);
  }

  Object peek() {
    int n = stack.size();
    if (n == 0 || (markCount > 0 && marks[markCount - 1] == n)) {
      throw fail("malformed pickle: the stack is empty at byte " + in.position());
    }
    return stack.get(n - 1);
  }

  Object pop() {
    Object o = peek();
    stack.remove(stack.size() - 1);
    return o;
  }

  List<Object> popN(int n) {
    int base = stack.size() - n;
    if (base < 0 || (markCount > 0 && marks[markCount - 1] > base)) {
      throw fail("malformed pickle: too few values on the stack at byte " + in.position());
    }
    List<Object> items = new ArrayList<>(stack.subList(base, stack.size()));
    stack.subList(base, stack.size()).clear();
    return items;
  }

  void mark() {
    if (markCount >= limits.maxPickleDepth()) {
      throw fail(
          "pickle nested deeper than "
              + limits.maxPickleDepth()
              + " MARKs at byte "
              + (in.position() - 1)
              + " (WeightLimits.maxPickleDepth)");
    }
    if (markCount == marks.length) {
      marks = Arrays.copyOf(marks, marks.length * 2);
    }
    marks[markCount++] = stack.size();
  }

  List<Object> popMark() {
    if (markCount == 0) {
      throw fail("malformed pickle: no MARK at byte " + in.position());
    }
    int base = marks[--markCount];
    List<Object> items = new ArrayList<>(stack.subList(base, stack.size()));
    stack.subList(base, stack.size()).clear();
    return items;
  }

  private CxrDataException fail(String message) {
    return new CxrDataException(file, message);
  }
}
