package dev.cxr.phantoms;

import dev.cxr.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** NIH's box-list format for phantoms ({@link DemoData#writeBoxes}). */
final class BoxFile {
  private BoxFile() {}

  /**
   * Writes one row per mask: its bounding box in the 1024 px frame of NIH's PNGs.
   *
   * @param masks image name to finding to mask, at {@code size} pixels
   * @param size the phantoms' size
   * @param file the file to write, atomically
   * @return the number of boxes written
   */
  static int write(Map<String, Map<String, LesionMask>> masks, int size, Path file)
      throws IOException {
    double scale = 1024.0 / size;
    List<String> rows = new ArrayList<>();
    rows.add("Image Index,Finding Label,Bbox [x,y,w,h],,,");
    masks.forEach(
        (image, byFinding) ->
            byFinding.forEach(
                (finding, mask) -> {
                  int[] b = mask.bounds();
                  if (b != null) {
                    rows.add(
                        String.format(
                            Locale.ROOT,
                            "%s,%s,%.3f,%.3f,%.3f,%.3f",
                            image,
                            finding,
                            b[0] * scale,
                            b[1] * scale,
                            b[2] * scale,
                            b[3] * scale));
                  }
                }));
    AtomicFiles.write(file, tmp -> Files.write(tmp, rows, StandardCharsets.UTF_8));
    return rows.size() - 1;
  }
}
