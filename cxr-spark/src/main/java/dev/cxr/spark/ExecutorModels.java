package dev.cxr.spark;

import dev.cxr.core.CxrModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The models an executor JVM has loaded, so that a model is read once per executor and not once per
 * partition. A DL4J network must not run two forward passes at once, so concurrent tasks of one
 * executor each borrow their own copy; copies are kept for the next tasks, so an executor ends up
 * with as many as it runs tasks at a time.
 */
final class ExecutorModels {
  private static final Map<String, Queue<CxrModel>> IDLE = new ConcurrentHashMap<>();

  private ExecutorModels() {}

  /**
   * Borrows a loaded copy of the model, loading one from its bytes when none is idle.
   *
   * @param key a digest of the model file's bytes
   * @param bytes the model file's bytes, fetched only when a copy must be loaded
   * @return a model no other thread is using until {@link #giveBack}
   */
  static CxrModel borrow(String key, Supplier<byte[]> bytes) {
    CxrModel m = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
    return m != null ? m : load(bytes.get());
  }

  /** Returns a borrowed model for the next task. */
  static void giveBack(String key, CxrModel model) {
    IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(model);
  }

  /** Loads a model from bytes through a temporary file, which {@link CxrModel#load} vets. */
  static CxrModel load(byte[] bytes) {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("cxr-model-", ".zip");
      Files.write(tmp, bytes);
      return CxrModel.load(tmp);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage the model in a temporary file: " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a leftover temp file is harmless; the scores are not
        }
      }
    }
  }
}
