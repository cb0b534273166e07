package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.RegularFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The files below a data folder, for {@link CxrDataset} and for any other listing of a data folder
 * (cxr-spark's, for one). Symbolic links are followed, those to folders included (the data folder
 * itself, {@code images/}, {@code images_001/} mounted from elsewhere), and the files keep the path
 * they were reached by ({@code nih/images/x.png}, not the link's target), so that names relative to
 * the data folder do not depend on where the data really lies.
 *
 * <p>Each real folder is read once, recognised by its file key (device and inode on Unix) or, where
 * the file system has none, by its real path:
 *
 * <ul>
 *   <li>a link to a folder that holds it (a loop, such as {@code images/loop -> ..}) is not
 *       followed, and noted once as a {@value #LINK_LOOP};
 *   <li>a second way into a folder already read (two links to one folder, or a link to a folder
 *       that is also below the data folder) is not read again, and noted as a {@value
 *       #REPEATED_FOLDER}, so no image is found twice through links;
 *   <li>a link whose target does not exist is noted as a {@value #DANGLING_LINK}, naming the link
 *       and its target.
 * </ul>
 *
 * These are notes in both modes (strict and lenient), not failures: the data that can be reached is
 * used, and a labels row whose image lay behind a dangling link then fails, or is skipped, as a
 * missing image whose message names the link. Entries are read in name order, so which of two ways
 * into a folder is used does not depend on the file system's listing order.
 */
public final class FolderWalk {
  /** Kind of the note about a link to a folder that holds it. */
  public static final String LINK_LOOP = "link loop";

  /** Problem kind: something with an image's name that is a named pipe, socket or device. */
  public static final String NOT_A_FILE = "not a regular file";

  /** Kind of the note about a link whose target does not exist. */
  public static final String DANGLING_LINK = "dangling link";

  /** Kind of the note about a second way into a folder already read. */
  public static final String REPEATED_FOLDER = "repeated folder";

  /**
   * What a walk found.
   *
   * @param files the files kept, sorted by path
   * @param danglingLinks each dangling link with its target, in the order found
   */
  public record Listing(List<Path> files, Map<Path, Path> danglingLinks) {
    /**
     * A hint for the message about a missing image: the dangling links, if any.
     *
     * @return e.g. {@code " (a symbolic link below it points nowhere: d/images_002 -> /gone)"}, or
     *     an empty string
     */
    public String hint() {
      if (danglingLinks.isEmpty()) {
        return "";
      }
      Map.Entry<Path, Path> first = danglingLinks.entrySet().iterator().next();
      int more = danglingLinks.size() - 1;
      return " (a symbolic link below it points nowhere: "
          + first.getKey()
          + " -> "
          + first.getValue()
          + (more > 0 ? ", and " + more + " more" : "")
          + ")";
    }
  }

  private final Predicate<Path> keep;
  private final DataReport report;
  private final List<Path> files = new ArrayList<>();
  private final Map<Path, Path> dangling = new LinkedHashMap<>();
  private final Map<Object, Path> read = new HashMap<>(); // folder key -> path it was read by
  private final Map<Object, Path> open = new LinkedHashMap<>(); // the folders being read

  private FolderWalk(Predicate<Path> keep, DataReport report) {
    this.keep = keep;
    this.report = report;
  }

  /**
   * Lists the files below a folder, following links.
   *
   * @param folder the folder (itself possibly a link to one)
   * @param keep which files to keep (by path; directories are always entered)
   * @param report receives the notes on loops, repeated folders and dangling links
   * @return the files kept and the dangling links met
   * @throws CxrDataException naming the folder or file that cannot be read
   */
  public static Listing walk(Path folder, Predicate<Path> keep, DataReport report) {
    FolderWalk w = new FolderWalk(keep, report);
    w.enter(folder, attributes(folder));
    w.files.sort(null);
    return new Listing(List.copyOf(w.files), Collections.unmodifiableMap(w.dangling));
  }

  /**
   * The target of a symbolic link whose target does not exist.
   *
   * @param path a path
   * @return the link's target, or null when the path is not such a link
   */
  static Path danglingTarget(Path path) {
    if (!Files.isSymbolicLink(path) || Files.exists(path)) {
      return null;
    }
    try {
      return Files.readSymbolicLink(path);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Notes a symbolic link whose target does not exist as a {@value #DANGLING_LINK}.
   *
   * @param path a path
   * @param report receives the note
   * @return the link's target when the path is such a link, else null (and nothing is noted)
   */
  static Path noteIfDangling(Path path, DataReport report) {
    Path target = danglingTarget(path);
    if (target != null) {
      report.add(
          DANGLING_LINK,
          path + ": a symbolic link to '" + target + "', which does not exist; skipped");
    }
    return target;
  }

  private void enter(Path dir, BasicFileAttributes attrs) {
    Object key = key(dir, attrs);
    Path holder = open.get(key);
    if (holder != null) {
      report.add(
          LINK_LOOP,
          dir + ": a symbolic link to '" + holder + "', which holds it (a loop); not followed");
      return;
    }
    Path earlier = read.putIfAbsent(key, dir);
    if (earlier != null) {
      report.add(
          REPEATED_FOLDER,
          dir + ": the same folder as '" + earlier + "', already read; not read twice");
      return;
    }
    open.put(key, dir);
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      s.forEach(entries::add);
    } catch (IOException | java.nio.file.DirectoryIteratorException e) {
      throw new CxrDataException(dir, -1, "cannot list directory: " + e.getMessage(), e);
    }
    entries.sort(null);
    for (Path p : entries) {
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(p, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        Path target = noteIfDangling(p, report);
        if (target != null) {
          dangling.put(p, target);
        }
        continue; // else removed while listing
      } catch (IOException e) {
        throw new CxrDataException(p, -1, "cannot read: " + e, e);
      }
      if (a.isDirectory()) {
        enter(p, a);
      } else if (a.isRegularFile() && keep.test(p)) {
        files.add(p);
      } else if (!a.isRegularFile() && keep.test(p)) {
        // a named pipe would block the reader that opens it, a device never end: neither is read
        report.add(
            NOT_A_FILE,
            p + ": " + RegularFiles.kind(a) + " with an image's name, not a regular file; skipped");
      }
    }
    open.remove(key);
  }

  private static BasicFileAttributes attributes(Path folder) {
    try {
      return Files.readAttributes(folder, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new CxrDataException(folder, -1, "cannot list directory: " + e, e);
    }
  }

  /** The folder's file key, or its real path where the file system gives no key. */
  private static Object key(Path dir, BasicFileAttributes attrs) {
    if (attrs.fileKey() != null) {
      return attrs.fileKey();
    }
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      try {
        return dir.toRealPath(LinkOption.NOFOLLOW_LINKS);
      } catch (IOException again) {
        return dir.toAbsolutePath().normalize();
      }
    }
  }
}
