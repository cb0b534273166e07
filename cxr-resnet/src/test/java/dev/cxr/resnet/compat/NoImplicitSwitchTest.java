package dev.cxr.resnet.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.resnet.ResNets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.config.DL4JClassLoading;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/**
 * Building a graph with {@link ResNets} alone must leave DL4J as it ships: no system property, no
 * class loader in front of DL4J's. Runs in a fresh JVM, since other tests of this module switch the
 * helpers on and that state is JVM-wide.
 */
class NoImplicitSwitchTest {

  /** Entry point of the child JVM: builds a tiny ResNet and prints the global state after it. */
  public static void main(String[] args) {
    ClassLoader before = DL4JClassLoading.getDl4jClassloader();
    ComputationGraph g =
        ResNets.builder().depth(18).width(4).inputShape(1, 32, 32).classes(2).build();
    System.out.println("params=" + g.numParams());
    System.out.println("property=" + System.getProperty(OneDnnHelpers.DL4J_DISABLE_PROPERTY));
    System.out.println("sameLoader=" + (before == DL4JClassLoading.getDl4jClassloader()));
    System.out.println("active=" + OneDnnHelpers.isActive());
  }

  @Test
  void buildingAGraphChangesNoGlobalState() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    NoImplicitSwitchTest.class.getName()))
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text).contains("property=null").contains("sameLoader=true").contains("active=false");
  }
}
