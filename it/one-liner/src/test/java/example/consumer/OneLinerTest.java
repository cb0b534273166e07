package example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project that depends on cxr-core (and cxr-phantoms for its data) gets what the one-liner needs. */
class OneLinerTest {
  @TempDir Path dir;

  @Test
  void theOneLinerTrainsAndPredicts() throws Exception {
    Map<String, Double> p = OneLiner.run(dir.resolve("data").toString());
    assertEquals(List.of("No Finding", "Effusion"), List.copyOf(p.keySet()));
    assertEquals(1.0, p.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-4);
  }

  @Test
  void linuxX8664GetsTheOneDnnNativesThroughCxrCore() throws Exception {
    String tree = Files.readString(Path.of("target/dependency-tree.txt"));
    if (System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").equals("amd64")) {
      assertTrue(
          tree.contains("org.nd4j:nd4j-native:jar:linux-x86_64-onednn:1.0.0-M2.1:compile"), tree);
      // the plain natives (no oneDNN, 5x slower convolutions) are excluded
      assertFalse(tree.contains("nd4j-native:jar:linux-x86_64:"), tree);
    }
    assertTrue(tree.contains("dev.cxr:cxr-core:jar:0.1.0:compile"), tree);
  }
}
