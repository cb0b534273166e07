package dev.cxr.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.DataReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines of labels and box files: bounded before they are buffered, strict UTF-8. */
class BoundedLineReaderTest {
  @TempDir Path dir;

  static List<String> lines(String text, int max) throws IOException {
    List<String> out = new ArrayList<>();
    try (BoundedLineReader r =
        new BoundedLineReader(
            Path.of("t.csv"),
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
            max)) {
      for (String l; (l = r.readLine()) != null; ) {
        out.add(l);
      }
    }
    return out;
  }

  @Test
  void linesEndAsBufferedReadersDo() throws IOException {
    assertThat(lines("a\nb\r\nc\rd", 10)).containsExactly("a", "b", "c", "d");
    assertThat(lines("a\n\nb\n", 10)).containsExactly("a", "", "b");
    assertThat(lines("", 10)).isEmpty();
    assertThat(lines("Pleural_Thickening|Effusion\n", 100))
        .containsExactly("Pleural_Thickening|Effusion");
  }

  @Test
  void aLineOverTheCapIsRefusedWithItsNumber() {
    assertThatThrownBy(() -> lines("ok\n" + "x".repeat(11) + "\n", 10))
        .isInstanceOf(CxrDataException.class)
        .hasMessage("t.csv, row 2: line longer than 10 bytes (the limit of a line); refused");
  }

  @Test
  void invalidUtf8IsRefusedNotReplaced() {
    byte[] bad = {'a', '\n', 'b', (byte) 0xC3, (byte) 0x28, '\n'};
    assertThatThrownBy(
            () -> {
              try (BoundedLineReader r =
                  new BoundedLineReader(Path.of("t.csv"), new ByteArrayInputStream(bad), 100)) {
                while (r.readLine() != null) {
                  // read on
                }
              }
            })
        .isInstanceOf(CxrDataException.class)
        .hasMessageStartingWith("t.csv, row 2: not valid UTF-8");
  }

  @Test
  void aHugeLabelsFileWithoutANewlineIsRefusedAtTheCapNamingTheFile() throws IOException {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("images"));
    Path csv = data.resolve("Data_Entry_2017.csv");
    try (OutputStream out = Files.newOutputStream(csv)) {
      byte[] chunk = "x".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < 64; i++) { // 4 MiB, no newline: a 300 MB one is refused the same way
        out.write(chunk);
      }
    }
    assertThatThrownBy(() -> CxrDataset.scan(List.of(data), null, false, new DataReport()))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("Data_Entry_2017.csv, row 1: line longer than 65536 bytes");
  }
}
