package dev.cxr.phantoms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The difficulty option makes effusions subtler and touches nothing else. */
class DifficultyTest {
  @TempDir Path dir;

  @Test
  void difficultyChangesTheEffusionImagesOnly() throws Exception {
    Path plain = dir.resolve("plain");
    Path zero = dir.resolve("zero");
    Path hard = dir.resolve("hard");
    DemoData.builder().images(12).size(48).build().writeTo(plain);
    DemoData.builder().images(12).size(48).difficulty(0).build().writeTo(zero);
    DemoData.builder().images(12).size(48).difficulty(1).build().writeTo(hard);
    List<String> rows = Files.readAllLines(plain.resolve(DemoData.LABEL_FILE));
    assertThat(Files.readAllLines(hard.resolve(DemoData.LABEL_FILE))).isEqualTo(rows);
    int changed = 0;
    for (String row : rows.subList(1, rows.size())) {
      String name = row.split(",")[0];
      byte[] a = Files.readAllBytes(plain.resolve("images").resolve(name));
      assertThat(Files.readAllBytes(zero.resolve("images").resolve(name))).isEqualTo(a);
      boolean same =
          java.util.Arrays.equals(a, Files.readAllBytes(hard.resolve("images").resolve(name)));
      if (row.contains("Effusion")) {
        assertThat(same).as(name).isFalse();
        changed++;
      } else {
        assertThat(same).as(name).isTrue();
      }
    }
    assertThat(changed).isEqualTo(6);
    assertThatThrownBy(() -> DemoData.builder().difficulty(1.2))
        .hasMessageContaining("difficulty must be in [0, 1] but was 1.2");
  }
}
