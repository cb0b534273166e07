package example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** cxr-resnet builds a ResNet-50 alone, with DL4J's nn module and no other cxr artifact. */
class ResNetOnlyTest {
  @Test
  void buildsAResNet50() {
    long n = ResNetOnly.parameters();
    System.out.println("ResNet-50 parameters: " + n);
    // torchvision's resnet50 has 25,557,032; one input channel instead of three saves
    // 2 * 64 * 7 * 7 = 6,272 and two classes instead of 1000 save 998 * 2049 = 2,044,902
    assertEquals(25_557_032L - 6_272L - 2_044_902L, n);
  }

  @Test
  void bringsNothingElseOfCxr() throws Exception {
    String tree = Files.readString(Path.of("target/dependency-tree.txt"));
    assertFalse(tree.contains("dev.cxr:cxr-core") || tree.contains("dev.cxr:cxr-loss")
        || tree.contains("dev.cxr:cxr-augment"), tree);
  }
}
