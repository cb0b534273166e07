package dev.cxr.core.localize;

import dev.cxr.core.data.CsvLine;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.NihLabels;
import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The radiologists' bounding boxes of NIH ChestX-ray14 ({@code BBox_List_2017.csv}, Wang et al.
 * 2017, ChestX-ray8, CVPR 2017): 984 boxes on 880 images for 8 findings in the full file.
 *
 * <p><b>Format.</b> The official header is {@code Image Index,Finding Label,Bbox [x,y,w,h],,,}:
 * split at commas it names the six fields of every row, {@code Image Index}, {@code Finding Label},
 * {@code Bbox [x}, {@code y}, {@code w}, {@code h]}, followed by three empty names, which may be
 * left out. Columns are found by name (ignoring case, spaces and underscores, as in {@link
 * NihLabels#key}), fields are split by the labels reader's {@link CsvLine} (quoted fields, CRLF, a
 * UTF-8 byte-order mark). {@code x, y} is the box's top-left corner and {@code w, h} its size
 * ({@link Box}).
 *
 * <p><b>Frame.</b> The coordinates are pixels of the 1024x1024 PNGs NIH distributes ({@link
 * #NIH_FRAME}), whatever size the scan had: {@code OriginalImage[Width,Height]} of {@code
 * Data_Entry_2017.csv} is the size of the scan <em>before</em> NIH resized it to 1024x1024 (1456 to
 * 3056 px), not the frame of the boxes. Scaling by it would shrink every box by a factor of 1.4 to
 * 3 and move it toward the top-left corner; no box of the file reaches past 1024 px. So {@link
 * #forImage(String, String, int, int)} scales by {@code imageWidth / 1024} and {@code imageHeight /
 * 1024}: exactly 0.25 for a 256 px thumbnail. Box files of other data sets drawn on another square
 * frame are read with {@link #read(Path, int)}.
 *
 * <p><b>Checks.</b> The file is refused with a {@link CxrDataException} naming the file and the
 * 1-based row (the header is row 1) for: a missing column (all missing ones are named), a row whose
 * number of fields differs from the header's (empty trailing fields aside), malformed quoting, an
 * empty image name, a finding that is not one of the 14 NIH findings ({@code Infiltrate} is read as
 * {@code Infiltration}, the name the image labels use; {@code No Finding} is refused), a coordinate
 * that is not a plain decimal number (no {@code NaN}, {@code Infinity}, hexadecimal or {@code
 * d}/{@code f} suffixes), a width or height that is not {@code > 0}, a box lying entirely outside
 * the frame (a sign of a wrong frame), and a file with no boxes. Rows are kept in file order; an
 * image may have several boxes, also for the same finding.
 */
public final class BoundingBoxes {
  /** The file name of NIH's box list, looked for in a data directory when none is given. */
  public static final String DEFAULT_FILE = "BBox_List_2017.csv";

  /** The frame of NIH's boxes: the 1024x1024 pixels of the PNGs NIH distributes. */
  public static final int NIH_FRAME = 1024;

  /** Column of the image file name. */
  public static final String IMAGE_INDEX = "Image Index";

  /** Column of the finding. */
  public static final String FINDING_LABEL = "Finding Label";

  /** The box columns as the official header names them, once split at its commas. */
  public static final List<String> BOX_COLUMNS = List.of("Bbox [x", "y", "w", "h]");

  /** The box file's spelling of the finding the image labels call {@code Infiltration}. */
  static final String INFILTRATE = "Infiltrate";

  private final Path source;
  private final int frame;
  private final List<TrueBox> all;
  private final Map<String, List<TrueBox>> byImage;
  private final Set<String> findings;

  private BoundingBoxes(Path source, int frame, List<TrueBox> all) {
    this.source = source;
    this.frame = frame;
    this.all = List.copyOf(all);
    Map<String, List<TrueBox>> map = new LinkedHashMap<>();
    Set<String> present = new LinkedHashSet<>();
    for (TrueBox b : all) {
      map.computeIfAbsent(b.image(), k -> new ArrayList<>()).add(b);
      present.add(b.finding());
    }
    map.replaceAll((k, v) -> List.copyOf(v));
    this.byImage = Collections.unmodifiableMap(map);
    Set<String> ordered = new LinkedHashSet<>();
    for (String f : NihLabels.FINDINGS) {
      if (present.contains(f)) {
        ordered.add(f);
      }
    }
    this.findings = Collections.unmodifiableSet(ordered);
  }

  /**
   * Reads NIH's box file, whose boxes are in the {@link #NIH_FRAME 1024 px} frame.
   *
   * @param csv the file, e.g. {@code BBox_List_2017.csv}
   * @return the boxes
   * @throws CxrDataException naming the file and row for unreadable or bad data (see the class
   *     comment)
   */
  public static BoundingBoxes read(Path csv) {
    return read(csv, NIH_FRAME);
  }

  /**
   * Reads a box file in NIH's format whose boxes are drawn on a square frame of {@code frame}
   * pixels.
   *
   * @param csv the file
   * @param frame the side of the square frame of the boxes, {@code > 0}
   * @return the boxes
   * @throws CxrDataException naming the file and row for unreadable or bad data (see the class
   *     comment)
   */
  public static BoundingBoxes read(Path csv, int frame) {
    Objects.requireNonNull(csv, "csv");
    if (frame < 1) {
      throw new IllegalArgumentException("frame must be > 0 but was " + frame);
    }
    return new BoundingBoxes(csv, frame, BoxFileRows.read(csv, frame));
  }

  /**
   * The canonical NIH name of a finding as a box file writes it: {@code Infiltrate} (NIH's box
   * file) is {@code Infiltration} (NIH's image labels); other names go through {@link
   * CxrTask#canonical(String)} (case, spaces and underscores ignored).
   *
   * @param name a finding name
   * @return the canonical name
   * @throws IllegalArgumentException for a name that is not one of the 14 NIH findings
   */
  public static String finding(String name) {
    Objects.requireNonNull(name, "finding");
    String t = name.trim();
    if (NihLabels.key(t).equals(NihLabels.key(INFILTRATE))) {
      return "Infiltration";
    }
    return CxrTask.canonical(t);
  }

  /**
   * @return every box, in file order, in the file's frame
   */
  public List<TrueBox> all() {
    return all;
  }

  /**
   * The boxes of one image, in file order, in the file's frame.
   *
   * @param imageName the image's file name as written in the file, e.g. {@code 00013118_008.png}
   * @return its boxes; empty when it has none
   */
  public List<TrueBox> forImage(String imageName) {
    Objects.requireNonNull(imageName, "imageName");
    return byImage.getOrDefault(imageName, List.of());
  }

  /**
   * The boxes of one finding on one image, in file order, in the file's frame.
   *
   * @param imageName the image's file name as written in the file
   * @param finding a finding name, canonicalised by {@link #finding(String)}
   * @return its boxes; empty when it has none
   * @throws IllegalArgumentException for a finding that is not an NIH finding
   */
  public List<TrueBox> forImage(String imageName, String finding) {
    String f = finding(finding);
    List<TrueBox> out = new ArrayList<>();
    for (TrueBox b : forImage(imageName)) {
      if (b.finding().equals(f)) {
        out.add(b);
      }
    }
    return List.copyOf(out);
  }

  /**
   * The boxes of one finding on one image, scaled from the file's frame to the image as read: by
   * {@code imageWidth / frame()} along x and {@code imageHeight / frame()} along y (a 256 px
   * thumbnail of an NIH image: 0.25). Give the size of the image the map is drawn on, not NIH's
   * {@code OriginalImage[Width,Height]} (see the class comment).
   *
   * @param imageName the image's file name as written in the file
   * @param finding a finding name, canonicalised by {@link #finding(String)}
   * @param imageWidth width of the image as read, {@code > 0}
   * @param imageHeight height of the image as read, {@code > 0}
   * @return its boxes, scaled; empty when it has none
   */
  public List<TrueBox> forImage(String imageName, String finding, int imageWidth, int imageHeight) {
    if (imageWidth < 1) {
      throw new IllegalArgumentException("imageWidth must be > 0 but was " + imageWidth);
    }
    if (imageHeight < 1) {
      throw new IllegalArgumentException("imageHeight must be > 0 but was " + imageHeight);
    }
    double sx = (double) imageWidth / frame;
    double sy = (double) imageHeight / frame;
    List<TrueBox> out = new ArrayList<>();
    for (TrueBox b : forImage(imageName, finding)) {
      out.add(b.scaled(sx, sy));
    }
    return List.copyOf(out);
  }

  /**
   * @return the findings with at least one box, in NIH's order ({@link NihLabels#FINDINGS})
   */
  public Set<String> findings() {
    return findings;
  }

  /**
   * @return the images with at least one box, in the order of their first row
   */
  public Set<String> images() {
    return byImage.keySet();
  }

  /**
   * @return the file read
   */
  public Path source() {
    return source;
  }

  /**
   * @return the side of the square frame the boxes are drawn on ({@link #NIH_FRAME} for NIH)
   */
  public int frame() {
    return frame;
  }

  @Override
  public String toString() {
    return "BoundingBoxes["
        + source
        + ": "
        + all.size()
        + " boxes on "
        + byImage.size()
        + " images, findings "
        + findings
        + ", frame "
        + frame
        + "]";
  }
}
