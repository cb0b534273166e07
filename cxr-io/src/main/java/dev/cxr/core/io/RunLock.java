package dev.cxr.core.io;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A lock file ({@value #NAME}) that keeps two runs out of one folder (a checkpoint directory: two
 * runs writing {@code best.zip} and {@code last.zip} in turn would leave a mix of both). The lock
 * is an operating-system lock ({@link FileChannel#tryLock()}, released by the OS when the process
 * dies, also across processes) on a file that says who holds it: process id, host and start time,
 * so that the refusal can name the other run.
 *
 * <p>A lock file left by a process that is gone (killed with {@code kill -9}) is taken over with a
 * warning. The file is deleted when the lock is {@linkplain #close() released}, and by the shutdown
 * hook of {@link ExitCleanup} if the JVM ends first.
 */
public final class RunLock implements AutoCloseable {
  /** Name of the lock file in the locked folder. */
  public static final String NAME = ".cxr-run.lock";

  /**
   * Lock files held by this JVM, with who holds them. Checked before any channel is opened: on
   * POSIX systems closing any channel of a file drops every lock this process holds on it, so a
   * refused second run of this JVM must never open (and close) one.
   */
  private static final Map<Path, Properties> HELD = new ConcurrentHashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock; // null on a file system without locks
  private final ExitCleanup.Handle tracked;
  private boolean closed;

  private RunLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
    this.tracked = ExitCleanup.track(file);
  }

  /**
   * Takes the lock of a folder (creating the folder if needed).
   *
   * @param dir the folder
   * @param warnings receives one line when a stale lock (of a process that is gone) is taken over
   * @return the lock; close it when the run ends
   * @throws IllegalStateException naming the folder and the other run when another run holds it
   * @throws UncheckedIOException when the lock file cannot be written
   */
  public static RunLock acquire(Path dir, Consumer<String> warnings) {
    Objects.requireNonNull(warnings, "warnings");
    Path file = dir.resolve(NAME).toAbsolutePath().normalize();
    Properties mine = new Properties();
    mine.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    mine.setProperty("host", hostName());
    mine.setProperty("started", Instant.now().toString());
    Properties held = HELD.putIfAbsent(file, mine);
    if (held != null) {
      throw new IllegalStateException(inUse(dir, held));
    }
    FileChannel ch = null;
    try {
      Files.createDirectories(dir);
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      boolean osLocks = true;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException sameJvm) {
        lock = null; // not through HELD: a lock taken by other code of this process
      } catch (IOException unsupported) {
        // a file system without locks: the file's content (pid, host) is all there is to go by
        lock = null;
        osLocks = false;
      }
      Properties other = read(ch);
      if (lock == null && osLocks) {
        throw new IllegalStateException(inUse(dir, other));
      }
      long myPid = ProcessHandle.current().pid();
      String host = mine.getProperty("host");
      Optional<Long> pid = pid(other);
      if (pid.isPresent() && pid.get() != myPid && host.equals(other.getProperty("host"))) {
        if (ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
          // the OS lock was free but its owner lives: a file system without working locks
          if (lock != null) {
            lock.release();
          }
          throw new IllegalStateException(inUse(dir, other));
        }
        warnings.accept(
            "taking over the stale lock "
                + file
                + " of process "
                + pid.get()
                + " (started "
                + other.getProperty("started", "?")
                + "), which is no longer running");
      }
      byte[] me =
          ("pid=" + myPid + "\nhost=" + host + "\nstarted=" + mine.getProperty("started") + "\n")
              .getBytes(StandardCharsets.UTF_8);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(me), 0);
      ch.force(true);
      return new RunLock(file, ch, lock);
    } catch (IOException e) {
      close(ch);
      HELD.remove(file);
      throw new UncheckedIOException("cannot write the lock file " + file + ": " + e, e);
    } catch (RuntimeException e) {
      close(ch);
      HELD.remove(file);
      throw e;
    }
  }

  private static String inUse(Path dir, Properties other) {
    return dir
        + " is in use by another run (process "
        + other.getProperty("pid", "?")
        + " on "
        + other.getProperty("host", "?")
        + ", started "
        + other.getProperty("started", "?")
        + "); wait for it to end or use another folder";
  }

  private static Properties read(FileChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 4096));
    ch.read(buf, 0);
    Properties p = new Properties();
    p.load(new StringReader(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8)));
    return p;
  }

  private static Optional<Long> pid(Properties p) {
    try {
      return Optional.of(Long.parseLong(p.getProperty("pid", "").trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  private static void close(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // already failing
      }
    }
  }

  /**
   * @return the lock file
   */
  public Path file() {
    return file;
  }

  /** Deletes the lock file and releases the lock. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Files.deleteIfExists(file); // while still locked, so no other run sees it half-gone
    } catch (IOException ignored) {
      // a leftover file without an OS lock is taken over by the next run
    }
    try {
      if (lock != null) {
        lock.release();
      }
    } catch (IOException ignored) {
      // closing the channel releases it too
    }
    close(channel);
    tracked.close();
    HELD.remove(file);
  }
}
