package dev.cxr.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Writes files so that nothing is ever half-written: the content goes to a temporary file in the
 * target's directory, which is then renamed over the target in one step. A writer that fails (or a
 * process killed mid-write) leaves the previous file untouched.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the content of a file at a given path. */
  @FunctionalInterface
  public interface Writer {
    /**
     * @param tmp the temporary file to fill
     * @throws IOException on failure
     */
    void write(Path tmp) throws IOException;
  }

  /**
   * Writes {@code target} atomically.
   *
   * @param target the file to create or replace
   * @param writer fills a temporary file in the same directory
   * @throws IOException when writing or renaming fails; the target is then unchanged
   */
  public static void write(Path target, Writer writer) throws IOException {
    Objects.requireNonNull(target, "target");
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    boolean done = false;
    // deleted below on failure, or by the shutdown hook if the JVM ends mid-write (Ctrl-C)
    ExitCleanup.Handle tracked = ExitCleanup.track(tmp);
    try {
      writer.write(tmp);
      // the bytes reach the disk before the rename makes them visible: after a power cut the
      // target is either the old file or the whole new one, never a renamed empty file
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      if (Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
        // createTempFile makes the file owner-only; outputs are ordinary readable files
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
      syncDirectory(dir);
    } finally {
      try {
        if (!done) {
          Files.deleteIfExists(tmp);
        }
      } finally {
        tracked.close();
      }
    }
  }

  /** Makes the rename itself durable; best effort, since not every platform can open a folder. */
  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open a directory as a channel; the rename is still atomic there
    }
  }

  /**
   * Checks that files can be created in a directory (creating it if needed), so that a run fails
   * before its work rather than when it saves the result.
   *
   * @param dir the directory
   * @throws IOException when the directory cannot be created or written
   */
  public static void checkWritable(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
  }
}
