package example.consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cxr-loss works in plain DL4J and brings nd4j-api, nothing of the rest of cxr and no Guava. */
class LossOnlyTest {
  @Test
  void trainsAPlainDl4jNetwork() {
    double[] loss = LossOnly.fit(200);
    assertTrue(loss[1] < loss[0] / 2, "loss " + loss[0] + " -> " + loss[1]);
  }

  @Test
  void cxrLossBringsNd4jApiOnly() throws Exception {
    List<String> subtree = Trees.subtree(Files.readAllLines(Path.of("target/dependency-tree.txt")),
        "dev.cxr:cxr-loss:jar:");
    assertTrue(subtree.get(0).contains("dev.cxr:cxr-loss:jar:0.1.0:compile"), subtree.toString());
    assertTrue(subtree.stream().anyMatch(l -> l.contains("org.nd4j:nd4j-api:jar:1.0.0-M2.1")),
        subtree.toString());
    for (String unwanted : List.of("dev.cxr:cxr-core", "dev.cxr:cxr-resnet", "dev.cxr:cxr-augment",
        "com.google.guava:guava", "org.deeplearning4j:")) {
      assertFalse(subtree.stream().anyMatch(l -> l.contains(unwanted)), unwanted + " in " + subtree);
    }
  }
}
