package dev.cxr.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.phantoms.DemoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The phantoms of cxr-phantoms read by the library as the NIH data they stand in for. */
class PhantomDataTest {
  @TempDir Path tmp;

  @Test
  void theDrawableFindingsAreCanonicalNihNames() {
    assertThat(DemoData.DRAWABLE_FINDINGS).isNotEmpty();
    for (String f : DemoData.DRAWABLE_FINDINGS) {
      assertThat(CxrTask.canonical(f)).isEqualTo(f);
      assertThat(NihLabels.FINDINGS).contains(f);
    }
  }

  @Test
  void theLibraryReadsTheMultiLabelFileCellByCell() throws IOException {
    Path dir = tmp.resolve("multi");
    DemoData.builder()
        .findings("pneumothorax", "Effusion", "NODULE")
        .images(40)
        .size(32)
        .seed(6)
        .build()
        .writeTo(dir);
    Map<String, List<String>> written = new HashMap<>();
    List<String> lines = Files.readAllLines(dir.resolve(DemoData.LABEL_FILE));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      written.put(f[0], List.of(f[1].split("\\|")));
    }

    List<String> names = List.of("Effusion", "Nodule", "Pneumothorax");
    CxrTask.Labeled labeled = CxrTask.multiLabel(names).label(CxrDataset.scan(dir));
    assertThat(labeled.samples()).hasSize(40);
    for (Sample sample : labeled.samples()) {
      List<String> cell = written.get(sample.path().getFileName().toString());
      for (int i = 0; i < names.size(); i++) {
        assertThat(sample.has(i))
            .as("%s in %s", names.get(i), cell)
            .isEqualTo(cell.contains(names.get(i)));
      }
    }
    assertThat((long) labeled.noFinding())
        .isEqualTo(written.values().stream().filter(c -> c.equals(List.of("No Finding"))).count());
    assertThat(CxrTask.allFindings().label(CxrDataset.scan(dir)).samples()).hasSize(40);
  }
}
