package example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cxr.augment.GrayImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cxr-augment works alone and brings Guava, nothing from DL4J. */
class AugmentOnlyTest {
  @Test
  void augmentsReproducibly() {
    GrayImage a = AugmentOnly.augment(3, 7);
    GrayImage b = AugmentOnly.augment(3, 7);
    assertEquals(64, a.width());
    assertEquals(48, a.height());
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        assertEquals(a.get(x, y), b.get(x, y));
      }
    }
  }

  @Test
  void bringsGuavaAndNothingFromDl4j() throws Exception {
    List<String> tree = Files.readAllLines(Path.of("target/dependency-tree.txt"));
    assertTrue(tree.stream().anyMatch(l -> l.contains("dev.cxr:cxr-augment:jar:0.1.0:compile")));
    assertTrue(tree.stream().anyMatch(l -> l.contains("com.google.guava:guava:jar:")));
    for (String unwanted : List.of("org.nd4j", "org.deeplearning4j", "org.bytedeco", "dev.cxr:cxr-core")) {
      assertFalse(tree.stream().anyMatch(l -> l.contains(unwanted)), unwanted + " in " + tree);
    }
  }
}
