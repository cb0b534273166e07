package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Images that share a file name, for {@link CxrDataset}. Images are matched, and patients derived,
 * by file name, so two files of one name are either the same image stored twice or an ambiguity:
 *
 * <ul>
 *   <li>Class folders, one name in two classes ({@code Effusion/x.png} and {@code No
 *       Finding/x.png}): the true label is unknown, so this is refused naming both folders;
 *       leniently every copy is dropped and reported as a {@value NihLabels#DUPLICATE_IMAGE}.
 *   <li>Class folders, one name twice in one class (in two sub-folders): byte-identical copies are
 *       one image, kept once and noted as a {@value #DUPLICATE_FILE} (in both modes); copies that
 *       differ are different images with the same label and are all kept.
 *   <li>NIH layout, one CSV row and two files of its name (e.g. in {@code images_001/images/} and
 *       {@code images_002/images/}): byte-identical copies are one image, the first by path is used
 *       and a {@value #DUPLICATE_FILE} noted (in both modes); copies that differ are refused naming
 *       the row and both folders, since which one the row labels is unknown; leniently the row is
 *       skipped and reported as a {@value NihLabels#DUPLICATE_IMAGE}. Files that no row names are
 *       ignored, whatever their names.
 * </ul>
 */
final class SameNameImages {
  /** Kind of the note about byte-identical copies, one of which is used. */
  static final String DUPLICATE_FILE = "duplicate file";

  /**
   * An image file found in a class folder.
   *
   * @param file the image file
   * @param label its canonical label
   */
  record Labeled(Path file, String label) {}

  private SameNameImages() {}

  /**
   * Files by name, each name's files in path order.
   *
   * @param files image files, sorted by path
   * @return the index
   */
  static Map<String, List<Path>> byName(List<Path> files) {
    Map<String, List<Path>> m = new LinkedHashMap<>();
    for (Path p : files) {
      m.computeIfAbsent(p.getFileName().toString(), k -> new ArrayList<>(1)).add(p);
    }
    return m;
  }

  /**
   * The file a CSV row names, among the files of that name.
   *
   * @param root the data directory
   * @param csv the labels file
   * @param row the row
   * @param files the files of the row's image name, in path order (at least one)
   * @param skipBad skip and report instead of failing
   * @param report receives the notes and skipped problems
   * @return the file to use, or empty when the row is skipped
   */
  static Optional<Path> pick(
      Path root,
      Path csv,
      NihLabels.Row row,
      List<Path> files,
      boolean skipBad,
      DataReport report) {
    if (files.size() == 1 || identical(files)) {
      if (files.size() > 1) {
        report.add(DUPLICATE_FILE, note(root, files));
      }
      return Optional.of(files.get(0));
    }
    CxrDataException e =
        new CxrDataException(
            csv,
            row.line(),
            "image "
                + row.imageIndex()
                + " is in "
                + folders(root, files)
                + ", and the files differ: which one this row labels is unknown",
            null);
    if (!skipBad) {
      throw e;
    }
    report.add(NihLabels.DUPLICATE_IMAGE, e);
    return Optional.empty();
  }

  /**
   * The images of the class-folder layout without those whose name is in two classes, and with one
   * copy of byte-identical files of one name in one class.
   *
   * @param root the data directory
   * @param found every image file with its label
   * @param skipBad skip and report instead of failing
   * @param report receives the notes and skipped problems
   * @return the images to use
   */
  static List<Labeled> resolveClasses(
      Path root, List<Labeled> found, boolean skipBad, DataReport report) {
    Map<String, List<Labeled>> byName = new LinkedHashMap<>();
    for (Labeled l : found) {
      byName.computeIfAbsent(l.file().getFileName().toString(), k -> new ArrayList<>(1)).add(l);
    }
    List<Labeled> out = new ArrayList<>(found.size());
    for (Map.Entry<String, List<Labeled>> e : byName.entrySet()) {
      List<Labeled> copies = e.getValue();
      List<Path> files = copies.stream().map(Labeled::file).toList();
      if (copies.size() == 1) {
        out.add(copies.get(0));
      } else if (copies.stream().map(Labeled::label).distinct().count() > 1) {
        CxrDataException ex =
            new CxrDataException(root, "image " + e.getKey() + " is in " + folders(root, files));
        if (!skipBad) {
          throw ex;
        }
        report.add(NihLabels.DUPLICATE_IMAGE, ex, "; all copies dropped");
      } else if (identical(files)) {
        report.add(DUPLICATE_FILE, note(root, files));
        out.add(copies.get(0));
      } else {
        out.addAll(copies);
      }
    }
    return out;
  }

  private static String note(Path root, List<Path> files) {
    return files.get(0)
        + ": the same image is also in "
        + folders(root, files.subList(1, files.size()))
        + " (identical files; using this one)";
  }

  /** "both 'a/' and 'b/'", or "'a/', 'b/' and 'c/'", or "'b/'" for one. */
  private static String folders(Path root, List<Path> files) {
    List<String> names = new ArrayList<>();
    for (Path f : files) {
      Path parent = root.relativize(f.getParent());
      String rel = parent.toString().replace('\\', '/');
      names.add("'" + (rel.isEmpty() ? "." : rel) + "/'");
    }
    if (names.size() == 1) {
      return names.get(0);
    }
    String last = names.remove(names.size() - 1);
    return (names.size() == 1 ? "both " : "") + String.join(", ", names) + " and " + last;
  }

  private static boolean identical(List<Path> files) {
    try {
      for (int i = 1; i < files.size(); i++) {
        if (Files.mismatch(files.get(0), files.get(i)) != -1L) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false; // unreadable: treated as different, so never silently merged
    }
  }
}
