package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Several data directories read as one data set ({@code --data A --data B}): each is scanned in its
 * own layout, their images are joined, and the patient ids form one namespace, so that a patient
 * with images in two folders is one patient for the patient-level split. An image name found in two
 * folders is refused: the same radiograph twice would sit on both sides of a split.
 */
final class DataFolders {
  private DataFolders() {}

  static CxrDataset scan(List<Path> dirs, Path labels, boolean skipBad, DataReport report) {
    Objects.requireNonNull(dirs, "dirs");
    if (dirs.isEmpty()) {
      throw new IllegalArgumentException("data must name at least one directory");
    }
    if (dirs.size() == 1) {
      return CxrDataset.scan(dirs.get(0), labels, skipBad, report);
    }
    List<Path> roots = new ArrayList<>();
    java.util.Set<Path> given = new java.util.HashSet<>();
    List<CxrDataset.Image> images = new ArrayList<>();
    Map<String, Path> firstSeen = new HashMap<>();
    CxrDataset first = null;
    for (Path dir : dirs) {
      Path root = dir.toAbsolutePath().normalize();
      if (!given.add(root)) {
        throw new CxrDataException(dir, "data directory given twice");
      }
      CxrDataset one = CxrDataset.scan(dir, labels, skipBad, report);
      first = first == null ? one : first;
      roots.add(one.root());
      for (CxrDataset.Image img : one.images()) {
        String name = img.path().getFileName().toString();
        Path earlier = firstSeen.putIfAbsent(name, img.path());
        if (earlier != null) {
          throw new CxrDataException(
              img.path(), "image '" + name + "' is also in " + earlier + ": give it once");
        }
        images.add(img);
      }
    }
    return new CxrDataset(roots, first.layout(), first.labelsFile().orElse(null), images, report);
  }

  /** The deepest directory holding every root (see {@link CxrDataset#commonRoot()}). */
  static Path commonRoot(List<Path> roots) {
    Path common = roots.get(0).toAbsolutePath().normalize();
    for (Path r : roots) {
      Path abs = r.toAbsolutePath().normalize();
      while (common != null && !abs.startsWith(common)) {
        common = common.getParent();
      }
    }
    return common == null ? roots.get(0).toAbsolutePath().getRoot() : common;
  }

  /** An image's name relative to its root (see {@link CxrDataset#relativeName(Path)}). */
  static String relativeName(List<Path> roots, Path image) {
    if (roots.size() == 1) {
      return roots.get(0).relativize(image).toString().replace('\\', '/');
    }
    for (int i = 0; i < roots.size(); i++) {
      if (image.startsWith(roots.get(i))) {
        return (i + 1) + "/" + roots.get(i).relativize(image).toString().replace('\\', '/');
      }
    }
    return image.toString().replace('\\', '/');
  }
}
