package dev.cxr.core.localize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cxr.core.Fixtures;
import dev.cxr.core.io.CxrDataException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BoundingBoxesTest {
  static final String HEADER = "Image Index,Finding Label,Bbox [x,y,w,h],,,";
  static final String HEADER_SHORT = "Image Index,Finding Label,Bbox [x,y,w,h]";

  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void readsOfficialHeaderMapsInfiltrateAndKeepsFileOrderAndRows() throws Exception {
    Path csv =
        write(
            "BBox_List_2017.csv",
            HEADER
                + "\n"
                + "00000002_000.png,Pneumonia,100,200,50,60\n"
                + "00000001_000.png,Infiltrate,10.5,20.25,30,40\n"
                + "00000002_000.png,Atelectasis,1,2,3,4\n"
                + "00000002_000.png,Atelectasis,500,600,70,80\n");
    BoundingBoxes boxes = BoundingBoxes.read(csv);
    assertThat(boxes.source()).isEqualTo(csv);
    assertThat(boxes.frame()).isEqualTo(1024);
    assertThat(boxes.all()).hasSize(4);
    assertThat(boxes.all().get(1))
        .isEqualTo(
            new TrueBox("00000001_000.png", "Infiltration", new Box(10.5, 20.25, 30, 40), 3));
    assertThat(boxes.all()).extracting(TrueBox::row).containsExactly(2L, 3L, 4L, 5L);
    // NIH order, not file order; Infiltrate listed as the image labels' Infiltration
    assertThat(boxes.findings()).containsExactly("Atelectasis", "Infiltration", "Pneumonia");
    assertThat(boxes.images()).containsExactly("00000002_000.png", "00000001_000.png");
    assertThat(boxes.forImage("00000002_000.png"))
        .extracting(TrueBox::row)
        .containsExactly(2L, 4L, 5L);
    assertThat(boxes.forImage("00000002_000.png", "atelectasis"))
        .extracting(TrueBox::box)
        .containsExactly(new Box(1, 2, 3, 4), new Box(500, 600, 70, 80));
    assertThat(boxes.forImage("00000001_000.png", "Infiltrate"))
        .isEqualTo(boxes.forImage("00000001_000.png", "INFILTRATION"))
        .hasSize(1);
    assertThat(boxes.forImage("00000001_000.png", "Effusion")).isEmpty();
    assertThat(boxes.forImage("00000009_000.png")).isEmpty();
    assertThatThrownBy(() -> boxes.forImage("00000001_000.png", "Kitten"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Kitten");
  }

  @Test
  void acceptsShortHeaderBomCrlfQuotesTrailingEmptyFieldsAndBlankLines() throws Exception {
    Path csv =
        write(
            "b.csv",
            "\uFEFF"
                + HEADER_SHORT
                + "\r\n"
                + "\"00000001_000.png\",\"Effusion\", 1 ,2,3,4\r\n"
                + "\r\n"
                + "00000003_000.png,Pleural_Thickening,5,6,7,8,,,\r\n");
    BoundingBoxes boxes = BoundingBoxes.read(csv);
    assertThat(boxes.all())
        .containsExactly(
            new TrueBox("00000001_000.png", "Effusion", new Box(1, 2, 3, 4), 2),
            new TrueBox("00000003_000.png", "Pleural_Thickening", new Box(5, 6, 7, 8), 4));
  }

  @Test
  void columnsAreFoundByNameInAnyOrder() throws Exception {
    Path csv = write("c.csv", "h],w,y,Bbox [x,Finding Label,Image Index\n4,3,2,1,Mass,a.png\n");
    assertThat(BoundingBoxes.read(csv).all())
        .containsExactly(new TrueBox("a.png", "Mass", new Box(1, 2, 3, 4), 2));
  }

  @Test
  void scalesFromTheNihFrameToA256PxThumbnailByAQuarterExactly() throws Exception {
    // a real row of NIH's file
    Path csv =
        write(
            "d.csv",
            HEADER
                + "\n00013118_008.png,Atelectasis,225.084745762712,547.019216763771,"
                + "86.7796610169491,79.1864406779661\n");
    BoundingBoxes boxes = BoundingBoxes.read(csv);
    Box scaled = boxes.forImage("00013118_008.png", "Atelectasis", 256, 256).get(0).box();
    assertThat(scaled.x()).isEqualTo(225.084745762712 / 4);
    assertThat(scaled.y()).isEqualTo(547.019216763771 / 4);
    assertThat(scaled.width()).isEqualTo(86.7796610169491 / 4);
    assertThat(scaled.height()).isEqualTo(79.1864406779661 / 4);
    // the image as read at NIH's size: unchanged; a non-square image: each axis on its own
    assertThat(boxes.forImage("00013118_008.png", "Atelectasis", 1024, 1024).get(0).box())
        .isEqualTo(boxes.all().get(0).box());
    Box wide = boxes.forImage("00013118_008.png", "Atelectasis", 512, 256).get(0).box();
    assertThat(wide.x()).isEqualTo(225.084745762712 / 2);
    assertThat(wide.y()).isEqualTo(547.019216763771 / 4);
    assertThat(boxes.forImage("00013118_008.png", "Atelectasis", 256, 256).get(0).row())
        .isEqualTo(2);
    assertThatThrownBy(() -> boxes.forImage("00013118_008.png", "Atelectasis", 0, 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("imageWidth");
  }

  @Test
  void anotherFrameScalesByItsOwnSide() throws Exception {
    Path csv = write("e.csv", HEADER + "\na.png,Nodule,100,40,20,8\n");
    BoundingBoxes boxes = BoundingBoxes.read(csv, 512);
    assertThat(boxes.frame()).isEqualTo(512);
    assertThat(boxes.forImage("a.png", "Nodule", 256, 256).get(0).box())
        .isEqualTo(new Box(50, 20, 10, 4));
    assertThatThrownBy(() -> BoundingBoxes.read(csv, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("frame");
  }

  @Test
  void missingColumnsAreNamed() throws Exception {
    Path csv = write("f.csv", "Image Index,Finding Label,Bbox [x,y,w\na.png,Mass,1,2,3\n");
    CxrDataException e =
        catchThrowableOfType(CxrDataException.class, () -> BoundingBoxes.read(csv));
    assertThat(e.getMessage()).contains("f.csv").contains("'h]'").doesNotContain("'w'");
    assertThat(e.row()).isEqualTo(1);

    // the image labels file is not a box file
    Path labels = write("g.csv", Fixtures.HEADER + "\n");
    assertThatThrownBy(() -> BoundingBoxes.read(labels))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("g.csv")
        .hasMessageContaining("'Finding Label', 'Bbox [x', 'y', 'w', 'h]'");
  }

  static Stream<Arguments> badRows() {
    return Stream.of(
        Arguments.of("a.png,Mass,1,2,3", "expected 6 fields"),
        Arguments.of("a.png,Mass,1,2,3,4,5", "expected 6 fields"),
        Arguments.of("a.png,Mass,one,2,3,4", "x is not a decimal number: 'one'"),
        Arguments.of("a.png,Mass,1,,3,4", "y is not a decimal number: ''"),
        Arguments.of("a.png,Mass,1,2,NaN,4", "w is not a decimal number: 'NaN'"),
        Arguments.of("a.png,Mass,1,2,3,Infinity", "h is not a decimal number"),
        Arguments.of("a.png,Mass,1.5d,2,3,4", "x is not a decimal number: '1.5d'"),
        Arguments.of("a.png,Mass,0x10,2,3,4", "x is not a decimal number"),
        Arguments.of("a.png,Mass,1,2,1e999,4", "w is too large"),
        Arguments.of("a.png,Mass,1,2,0,4", "w must be > 0 but was 0"),
        Arguments.of("a.png,Mass,1,2,3,-4", "h must be > 0 but was -4"),
        Arguments.of("a.png,Kitten,1,2,3,4", "unknown finding 'Kitten'"),
        Arguments.of("a.png,No Finding,1,2,3,4", "unknown finding 'No Finding'"),
        Arguments.of("a.png,,1,2,3,4", "unknown finding ''"),
        Arguments.of(" ,Mass,1,2,3,4", "empty 'Image Index'"),
        Arguments.of("\"a.png,Mass,1,2,3,4", "unterminated quote"),
        Arguments.of("a.png,Mass,2000,2,3,4", "lies entirely outside the 1024x1024 frame"),
        Arguments.of("a.png,Mass,-10,2,3,4", "lies entirely outside"));
  }

  @ParameterizedTest
  @MethodSource("badRows")
  void badRowsAreRefusedNamingFileAndRow(String row, String reason) throws Exception {
    Path csv =
        write("bad.csv", HEADER + "\nok.png,Mass,1,2,3,4\n" + row + "\nok2.png,Mass,1,2,3,4\n");
    CxrDataException e =
        catchThrowableOfType(CxrDataException.class, () -> BoundingBoxes.read(csv));
    assertThat(e).as("row %s", row).isNotNull();
    assertThat(e.getMessage()).startsWith(csv + ", row 3: ").contains(reason);
    assertThat(e.row()).isEqualTo(3);
    assertThat(e.file()).contains(csv);
  }

  @Test
  void partlyOutsideTheFrameIsKept() throws Exception {
    Path csv = write("h.csv", HEADER + "\na.png,Mass,1000,-5,50,50\n");
    assertThat(BoundingBoxes.read(csv).all())
        .singleElement()
        .extracting(TrueBox::box)
        .isEqualTo(new Box(1000, -5, 50, 50));
  }

  @Test
  void emptyHeaderOnlyAndMissingFilesAreRefused() throws Exception {
    Path empty = write("empty.csv", "");
    assertThatThrownBy(() -> BoundingBoxes.read(empty))
        .isInstanceOf(CxrDataException.class)
        .hasMessage(empty + ": box file is empty");
    Path headerOnly = write("header.csv", HEADER + "\n\n");
    assertThatThrownBy(() -> BoundingBoxes.read(headerOnly))
        .isInstanceOf(CxrDataException.class)
        .hasMessage(headerOnly + ": box file has a header but no boxes");
    Path missing = dir.resolve("nope.csv");
    assertThatThrownBy(() -> BoundingBoxes.read(missing))
        .isInstanceOf(CxrDataException.class)
        .hasMessage(missing + ": box file is missing");
  }

  @Test
  void trueBoxChecksItsFields() {
    Box b = new Box(1, 2, 3, 4);
    assertThat(new TrueBox("a.png", "infiltrate", b, 2).finding()).isEqualTo("Infiltration");
    assertThatThrownBy(() -> new TrueBox(" ", "Mass", b, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image");
    assertThatThrownBy(() -> new TrueBox("a.png", "Mass", b, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row");
    assertThatThrownBy(() -> new TrueBox("a.png", "Mass", null, 2))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("box");
    assertThat(BoundingBoxes.finding("pleural thickening")).isEqualTo("Pleural_Thickening");
  }

  @Test
  void officialDevelopmentFile() {
    Path csv = Fixtures.sharedData("nih-bbox-dev/BBox_List_2017.csv").orElse(null);
    Assumptions.assumeTrue(
        csv != null, "../shared/data/nih-bbox-dev absent: skipping the real box file test");
    BoundingBoxes boxes = BoundingBoxes.read(csv);
    assertThat(boxes.all()).hasSize(725);
    assertThat(boxes.images()).hasSize(647);
    assertThat(boxes.findings())
        .containsExactly(
            "Atelectasis",
            "Cardiomegaly",
            "Effusion",
            "Infiltration",
            "Mass",
            "Nodule",
            "Pneumonia",
            "Pneumothorax");
    assertThat(boxes.all().stream().filter(b -> b.finding().equals("Infiltration")).count())
        .isEqualTo(89);
    for (TrueBox t : boxes.all()) {
      Box b = t.box();
      assertThat(b.x() >= 0 && b.y() >= 0 && b.right() <= 1024 && b.bottom() <= 1024)
          .as("row %d %s inside the 1024 frame", t.row(), b)
          .isTrue();
    }
    List<TrueBox> thumb = boxes.forImage("00013118_008.png", "Atelectasis", 256, 256);
    assertThat(thumb).singleElement().satisfies(t -> assertThat(t.box().right()).isLessThan(256));
  }
}
