package dev.cxr.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Temporary files and folders that must not outlive the process: a pixel-cache spill folder, the
 * temporary file of an atomic write, a run's lock file. Each is tracked while it exists; a JVM
 * shutdown hook, installed while at least one path is tracked and removed when the last is
 * released, deletes what is still tracked when the JVM ends early (Ctrl-C, SIGTERM, {@code
 * System.exit} from an error handler). {@code File.deleteOnExit} would not do: it cannot delete a
 * non-empty folder and never forgets a path.
 *
 * <p>Thread-safe. A {@code kill -9} or a power cut still leaves the files behind; nothing in the
 * process can help there.
 */
public final class ExitCleanup {
  private static final Set<Path> TRACKED = new LinkedHashSet<>();
  private static Thread hook;

  private ExitCleanup() {}

  /** A tracked path; {@link #close()} stops tracking it (without deleting it). */
  public interface Handle extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Tracks a file or folder for deletion should the JVM end before {@link Handle#close()}.
   *
   * @param path the file or folder
   * @return the handle that releases it
   */
  public static Handle track(Path path) {
    Path p = path.toAbsolutePath().normalize();
    synchronized (ExitCleanup.class) {
      TRACKED.add(p);
      if (hook == null) {
        Thread h = new Thread(ExitCleanup::deleteTracked, "cxr-exit-cleanup");
        try {
          Runtime.getRuntime().addShutdownHook(h);
          hook = h;
        } catch (IllegalStateException shuttingDown) {
          // the JVM is already ending: nothing more can be registered
        }
      }
    }
    return () -> release(p);
  }

  private static synchronized void release(Path p) {
    TRACKED.remove(p);
    if (TRACKED.isEmpty() && hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it finds nothing left to do
      }
      hook = null;
    }
  }

  /**
   * @return whether the shutdown hook is installed (while something is tracked)
   */
  public static synchronized boolean hookInstalled() {
    return hook != null;
  }

  /**
   * @return the paths tracked now
   */
  public static synchronized List<Path> tracked() {
    return List.copyOf(TRACKED);
  }

  /** What the shutdown hook does: deletes every tracked path, folders with their contents. */
  static void deleteTracked() {
    List<Path> paths;
    synchronized (ExitCleanup.class) {
      paths = new ArrayList<>(TRACKED);
    }
    for (Path p : paths) {
      deleteRecursively(p);
    }
  }

  /**
   * Deletes a file, or a folder with everything in it, as far as possible (best effort: what cannot
   * be deleted is left).
   *
   * @param path the file or folder; nothing happens when it does not exist
   */
  public static void deleteRecursively(Path path) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort: another file may still be open on some platforms
        }
      }
    } catch (NoSuchFileException gone) {
      // deleted meanwhile
    } catch (IOException | java.io.UncheckedIOException e) {
      // best effort
    }
  }
}
