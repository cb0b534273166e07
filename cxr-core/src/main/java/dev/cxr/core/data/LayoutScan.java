package dev.cxr.core.data;

import dev.cxr.core.dicom.DicomReader;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.RegularFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The scan of one data directory in each of {@link CxrDataset}'s two layouts (its class comment
 * says what is refused or skipped): the NIH layout's labels rows matched to image files by name,
 * and class folders; each image found is first checked to be a regular, non-empty file that starts
 * like a PNG, JPEG or DICOM file.
 */
final class LayoutScan {
  private LayoutScan() {}

  static CxrDataset nih(Path dir, Path csv, boolean skipBad, DataReport report) {
    FolderWalk.Listing listing = listImages(dir, report);
    Map<String, List<Path>> byName = SameNameImages.byName(listing.files());
    List<CxrDataset.Image> images = new ArrayList<>();
    LabelsReader.read(
        csv,
        row -> {
          List<Path> files = byName.get(row.imageIndex());
          if (files == null) {
            fail(
                skipBad,
                report,
                "missing image",
                new CxrDataException(
                    csv,
                    row.line(),
                    "image '" + row.imageIndex() + "' not found under " + dir + listing.hint(),
                    null));
            return;
          }
          SameNameImages.pick(dir, csv, row, files, skipBad, report)
              .filter(p -> checkImage(p, skipBad, report))
              .ifPresent(p -> images.add(new CxrDataset.Image(p, row.patientId(), row.findings())));
        },
        skipBad ? report::add : null);
    return new CxrDataset(List.of(dir), CxrDataset.Layout.NIH_CSV, csv, images, report);
  }

  static CxrDataset classFolders(Path dir, boolean skipBad, DataReport report) {
    List<Path> folders;
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> entries = s.sorted().toList();
      entries.forEach(p -> FolderWalk.noteIfDangling(p, report));
      folders = entries.stream().filter(Files::isDirectory).toList(); // links followed
    } catch (IOException e) {
      throw new CxrDataException(dir, -1, "cannot list directory: " + e.getMessage(), e);
    }
    List<SameNameImages.Labeled> found = new ArrayList<>();
    boolean anyClass = false;
    for (Path folder : folders) {
      String name = folder.getFileName().toString();
      Optional<String> label = NihLabels.canonical(name);
      if (label.isEmpty()) {
        if (name.startsWith(".")) {
          continue;
        }
        fail(
            skipBad,
            report,
            "unknown label",
            new CxrDataException(
                folder,
                "unknown label folder '"
                    + name
                    + "' (expected one of "
                    + NihLabels.knownLabels()
                    + ")"));
        continue;
      }
      anyClass = true;
      List<Path> files = listImages(folder, report).files();
      if (files.isEmpty()) {
        fail(
            skipBad,
            report,
            "empty class",
            new CxrDataException(folder, "class '" + label.get() + "' has no images"));
        continue;
      }
      for (Path f : files) {
        found.add(new SameNameImages.Labeled(f, label.get()));
      }
    }
    if (!anyClass) {
      throw new CxrDataException(
          dir,
          "neither a labels CSV ("
              + CxrDataset.DEFAULT_LABELS
              + ") nor class folders (e.g. 'Effusion/', 'No Finding/') found");
    }
    List<CxrDataset.Image> images = new ArrayList<>();
    for (SameNameImages.Labeled l : SameNameImages.resolveClasses(dir, found, skipBad, report)) {
      if (checkImage(l.file(), skipBad, report)) {
        images.add(
            new CxrDataset.Image(
                l.file(), CxrDataset.patientFromName(l.file()), Set.of(l.label())));
      }
    }
    return new CxrDataset(List.of(dir), CxrDataset.Layout.CLASS_FOLDERS, null, images, report);
  }

  private static boolean isImageName(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".dcm");
  }

  /** The image files below a folder, symbolic links followed (see {@link FolderWalk}). */
  private static FolderWalk.Listing listImages(Path folder, DataReport report) {
    return FolderWalk.walk(folder, LayoutScan::isImageName, report);
  }

  /** Cheap check: the file is non-empty, readable and starts like a PNG, JPEG or DICOM file. */
  private static boolean checkImage(Path p, boolean skipBad, DataReport report) {
    byte[] head = new byte[256]; // a DICOM preamble is 128 bytes, then "DICM" and the first element
    int n;
    try {
      RegularFiles.require(p, "image file");
    } catch (CxrDataException e) {
      fail(skipBad, report, "not a regular file", e);
      return false;
    }
    try (InputStream in = Files.newInputStream(p)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      fail(skipBad, report, "unreadable file", new CxrDataException(p, -1, "cannot read: " + e, e));
      return false;
    }
    if (n == 0) {
      fail(skipBad, report, "empty file", new CxrDataException(p, "image file is empty (0 bytes)"));
      return false;
    }
    boolean png = n >= 4 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N';
    boolean jpeg = n >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8;
    if (!png && !jpeg && !DicomReader.looksLikeDicom(Arrays.copyOf(head, n))) {
      fail(
          skipBad,
          report,
          "not an image",
          new CxrDataException(p, "not a PNG, JPEG or DICOM image"));
      return false;
    }
    return true;
  }

  private static void fail(boolean skipBad, DataReport report, String kind, CxrDataException e) {
    if (!skipBad) {
      throw e;
    }
    report.add(kind, e);
  }
}
