package dev.cxr.core.weights;

import java.util.List;
import java.util.Objects;

/**
 * What a weight file may hold at most, checked before anything is allocated for it, so that a
 * hostile or broken file is refused in one line instead of exhausting memory or the stack.
 *
 * @param maxFileBytes the largest file read
 * @param maxTensors the most tensors (state-dict entries, safetensors header entries)
 * @param maxTensorElements the most elements in one tensor (its floats are one Java array)
 * @param maxHeaderBytes the longest safetensors JSON header
 * @param maxPickleBytes the longest pickle (a zip's {@code data.pkl}; the pickles in front of a
 *     legacy file's storages)
 * @param maxPickleDepth the deepest nesting of a pickle: open MARKs, and containers (lists, tuples,
 *     dicts, sets, module records) inside one another
 * @param maxPickleOpcodes the most opcodes one pickle may execute
 * @param maxMemoEntries the most entries in a pickle's memo
 * @param recordClassPrefixes module-name prefixes whose classes are read as inert records (the
 *     classes of a whole pickled {@code nn.Module}); see {@link #RECORD_CLASS_PREFIXES}
 */
public record WeightLimits(
    long maxFileBytes,
    int maxTensors,
    long maxTensorElements,
    long maxHeaderBytes,
    long maxPickleBytes,
    int maxPickleDepth,
    long maxPickleOpcodes,
    int maxMemoEntries,
    List<String> recordClassPrefixes) {

  /**
   * The module-name prefixes whose classes a pickle may name as records: PyTorch's layers ({@code
   * torch.nn.modules.}, and {@code torch.nn.parallel.data_parallel.} for a pickled DataParallel
   * wrapper), torchvision's models and the operators they use ({@code torchvision.models.}, {@code
   * torchvision.ops.}), and torchxrayvision's models ({@code torchxrayvision.}). Such a class is
   * never looked up or run: an instance is an empty record whose {@code __dict__} the pickle fills.
   */
  public static final List<String> RECORD_CLASS_PREFIXES =
      List.of(
          "torch.nn.modules.",
          "torch.nn.parallel.data_parallel.",
          "torchvision.models.",
          "torchvision.ops.",
          "torchxrayvision.");

  /**
   * Limits that admit any real CNN checkpoint: files to 16 GiB, 100,000 tensors, 2^28 elements (1
   * GiB of floats) per tensor, a 100 MB safetensors header (the reference implementation's limit),
   * 256 MiB of pickle, nesting 1,000 deep, 50 million opcodes and a million memo entries.
   */
  public static final WeightLimits DEFAULTS =
      new WeightLimits(
          16L << 30,
          100_000,
          1L << 28,
          100_000_000L,
          256L << 20,
          1000,
          50_000_000L,
          1_000_000,
          RECORD_CLASS_PREFIXES);

  /** Checks every limit is positive and a tensor fits one Java array; copies the prefixes. */
  public WeightLimits {
    positive(maxFileBytes, "maxFileBytes");
    positive(maxTensors, "maxTensors");
    positive(maxTensorElements, "maxTensorElements");
    positive(maxHeaderBytes, "maxHeaderBytes");
    positive(maxPickleBytes, "maxPickleBytes");
    positive(maxPickleDepth, "maxPickleDepth");
    positive(maxPickleOpcodes, "maxPickleOpcodes");
    positive(maxMemoEntries, "maxMemoEntries");
    if (maxTensorElements > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxTensorElements " + maxTensorElements + " exceeds a Java array");
    }
    recordClassPrefixes =
        List.copyOf(Objects.requireNonNull(recordClassPrefixes, "recordClassPrefixes"));
    for (String p : recordClassPrefixes) {
      if (!p.endsWith(".") || p.length() < 2) {
        throw new IllegalArgumentException("record-class prefix must end with '.': " + p);
      }
    }
  }

  /**
   * @param module a pickled class's module, e.g. {@code torch.nn.modules.conv}
   * @return whether the classes of that module are read as records
   */
  public boolean isRecordModule(String module) {
    String m = module + ".";
    for (String p : recordClassPrefixes) {
      if (m.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static void positive(long v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, not " + v);
    }
  }
}
