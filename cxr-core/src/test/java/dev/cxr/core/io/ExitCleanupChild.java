package dev.cxr.core.io;

import dev.cxr.core.Fixtures;
import dev.cxr.core.cache.PixelCache;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM of {@link ExitCleanupTest}: holds a run lock, a pixel cache that spilled to disk
 * and a half-written atomic file, says {@code ready} and waits to be killed.
 */
public final class ExitCleanupChild {
  private ExitCleanupChild() {}

  /**
   * @param args the working folder
   * @throws Exception on failure (the parent then sees no {@code ready})
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path png = Fixtures.gray8(dir.resolve("img.png"), 16, 16, 1);
    RunLock.acquire(dir.resolve("cp"), w -> {});
    PixelCache cache = PixelCache.create(0, dir.resolve("spill"));
    cache.get(png, 8, 8);
    AtomicFiles.write(
        dir.resolve("model.zip"),
        tmp -> {
          Files.write(tmp, new byte[1000]);
          System.out.println("ready");
          System.out.flush();
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }
}
