package dev.cxr.resnet.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.config.DL4JClassLoading;
import org.junit.jupiter.api.Test;

/**
 * On a backend other than the CPU one (the CUDA build of {@code -Pcuda}), the oneDNN switch stays
 * off and touches nothing: no class loader in front of DL4J's, no system property. Tested on the
 * CPU build by naming the backend, since no GPU is at hand.
 */
class NonCpuBackendTest {
  @Test
  void cudaBackendLeavesDl4jAsItIs() {
    ClassLoader loader = DL4JClassLoading.getDl4jClassloader();
    String property = System.getProperty(OneDnnHelpers.DL4J_DISABLE_PROPERTY);
    OneDnnHelpers.Setup s = OneDnnHelpers.install("CUDA");
    assertThat(s.available()).isFalse();
    assertThat(s.reason()).contains("CUDA").contains("CPU only");
    assertThat(DL4JClassLoading.getDl4jClassloader()).isSameAs(loader);
    assertThat(System.getProperty(OneDnnHelpers.DL4J_DISABLE_PROPERTY)).isEqualTo(property);
    assertThat(OneDnnHelpers.install(null).available()).isFalse();
  }
}
