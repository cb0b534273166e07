package dev.cxr.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.Fixtures;
import dev.cxr.core.cache.PixelCache;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporary files, the pixel-cache spill folder and the run lock are gone after a normal end, an
 * error, and a SIGTERM (Ctrl-C) of the JVM; a second run in a locked folder is refused, a stale
 * lock taken over; too little disk space is refused before training.
 */
class ExitCleanupTest {
  @TempDir Path dir;

  @Test
  void hookLivesWhileSomethingIsTrackedAndDeletesFoldersWithTheirContents() throws IOException {
    Path spill = Files.createDirectories(dir.resolve("spill/a/b"));
    Files.writeString(spill.resolve("1.px"), "x");
    ExitCleanup.Handle h = ExitCleanup.track(dir.resolve("spill"));
    assertThat(ExitCleanup.hookInstalled()).isTrue();
    ExitCleanup.deleteTracked(); // what the hook does at Ctrl-C
    assertThat(dir.resolve("spill")).doesNotExist();
    h.close();
    assertThat(ExitCleanup.tracked()).doesNotContain(dir.resolve("spill").toAbsolutePath());
  }

  @Test
  void pixelCacheSpillAndFailedAtomicWriteLeaveNothingAndUntrackThemselves() throws Exception {
    Path png = Fixtures.gray8(dir.resolve("img.png"), 16, 16, 1);
    Path spillParent = dir.resolve("spill");
    Path spill;
    try (PixelCache cache = PixelCache.create(0, spillParent)) {
      cache.get(png, 8, 8);
      spill = cache.spillDirectory();
      assertThat(spill).isDirectory();
      assertThat(ExitCleanup.tracked()).contains(spill.toAbsolutePath());
    }
    assertThat(spill).doesNotExist();
    assertThat(ExitCleanup.tracked()).doesNotContain(spill.toAbsolutePath());
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    dir.resolve("out/m.zip"),
                    tmp -> {
                      Files.write(tmp, new byte[10]);
                      assertThat(ExitCleanup.tracked()).contains(tmp.toAbsolutePath());
                      throw new IOException("No space left on device");
                    }))
        .hasMessage("No space left on device");
    try (Stream<Path> left = Files.list(dir.resolve("out"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void secondRunInTheSameFolderIsRefusedNamingTheFolderAndTheRun() {
    Path cp = dir.resolve("cp");
    long pid = ProcessHandle.current().pid();
    try (RunLock first = RunLock.acquire(cp, w -> {})) {
      assertThat(first.file()).isRegularFile();
      assertThatThrownBy(() -> RunLock.acquire(cp, w -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(cp + " is in use by another run (process " + pid + " on ")
          .hasMessageEndingWith("; wait for it to end or use another folder");
      assertThat(first.file()).isRegularFile(); // the refusal left the holder's lock alone
    }
    assertThat(cp.resolve(RunLock.NAME)).doesNotExist();
    try (RunLock again = RunLock.acquire(cp, w -> {})) {
      assertThat(again.file()).isRegularFile();
    }
  }

  @Test
  void staleLockOfADeadProcessIsTakenOverWithAWarning() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path cp = Files.createDirectories(dir.resolve("cp"));
    String host = java.net.InetAddress.getLocalHost().getHostName();
    Files.writeString(
        cp.resolve(RunLock.NAME),
        "pid=" + gone.pid() + "\nhost=" + host + "\nstarted=2026-01-01T00:00:00Z\n");
    List<String> warnings = new ArrayList<>();
    try (RunLock lock = RunLock.acquire(cp, warnings::add)) {
      assertThat(Files.readString(lock.file())).contains("pid=" + ProcessHandle.current().pid());
    }
    assertThat(warnings)
        .containsExactly(
            "taking over the stale lock "
                + cp.resolve(RunLock.NAME).toAbsolutePath()
                + " of process "
                + gone.pid()
                + " (started 2026-01-01T00:00:00Z), which is no longer running");
  }

  @Test
  void tooLittleDiskSpaceIsRefusedNamingFolderNeededAndFree() {
    assertThatThrownBy(() -> DiskSpace.check(dir, 3L << 30, 5L << 20, "checkpoints"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "not enough disk space for the checkpoints in "
                + dir.toAbsolutePath()
                + ": about 3221225472 bytes (3.0 GiB) needed, 5242880 (5.0 MiB) free");
    DiskSpace.check(dir, 100, 100, "checkpoints");
    assertThatThrownBy(() -> DiskSpace.require(dir.resolve("not/yet"), Long.MAX_VALUE, "model"))
        .hasMessageStartingWith(
            "not enough disk space for the model in " + dir.resolve("not/yet").toAbsolutePath());
  }

  @Test
  void sigtermLeavesNoSpillFolderTempFileOrLock() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                ExitCleanupChild.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line;
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null && !line.equals("ready")) {
        seen.append(line).append('\n');
      }
      assertThat(line).as("child output:\n" + seen).isEqualTo("ready");
      assertThat(spillFolders()).hasSize(1);
      assertThat(tempFiles()).hasSize(1);
      Path cp = dir.resolve("cp");
      // another process: the OS lock refuses it, and the message names the child
      assertThatThrownBy(() -> RunLock.acquire(cp, w -> {}))
          .hasMessageStartingWith(
              cp + " is in use by another run (process " + child.pid() + " on ");
      child.destroy(); // SIGTERM, as Ctrl-C or kill: shutdown hooks run
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(spillFolders()).isEmpty();
      assertThat(tempFiles()).isEmpty();
      assertThat(cp.resolve(RunLock.NAME)).doesNotExist();
      assertThat(dir.resolve("model.zip")).doesNotExist();
    } finally {
      child.destroyForcibly();
    }
  }

  private List<Path> spillFolders() throws IOException {
    try (Stream<Path> s = Files.list(Files.createDirectories(dir.resolve("spill")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("cxr-pixel-cache-")).toList();
    }
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
