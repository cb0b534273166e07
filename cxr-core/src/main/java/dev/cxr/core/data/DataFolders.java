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
    Map<Path, Path> given = new HashMap<>(); // real path -> the directory as given
    List<CxrDataset.Image> images = new ArrayList<>();
    Map<String, Path> firstSeen = new HashMap<>();
    CxrDataset first = null;
    for (Path dir : dirs) {
      Path earlier = given.putIfAbsent(realPath(dir), dir);
      if (earlier != null) {
        throw new CxrDataException(
            dir,
            earlier.equals(dir)
                ? "data directory given twice"
                : "data directory given twice: it is the same folder as " + earlier);
      }
      CxrDataset one = CxrDataset.scan(dir, labels, skipBad, report);
      first = first == null ? one : first;
      roots.add(one.root());
      for (CxrDataset.Image img : one.images()) {
        String name = img.path().getFileName().toString();
        Path other = firstSeen.putIfAbsent(name, img.path());
        if (other != null) {
          throw new CxrDataException(
              img.path(), "image '" + name + "' is also in " + other + ": give it once");
        }
        images.add(img);
      }
    }
    return new CxrDataset(roots, first.layout(), first.labelsFile().orElse(null), images, report);
  }

  /** A directory's real path (links resolved), or its normalised absolute path if it has none. */
  private static Path realPath(Path dir) {
    try {
      return dir.toRealPath();
    } catch (java.io.IOException e) {
      return dir.toAbsolutePath().normalize(); // missing: scan names it
    }
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
