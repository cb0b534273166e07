package dev.cxr.core.provenance;

/** The sample metadata of {@link ModelFileTest}, for tests of other packages. */
public final class ModelInfoSamples {
  private ModelInfoSamples() {}

  /**
   * @return a complete, valid metadata record (64 px, standardised with mean 0.4, std 0.2)
   */
  public static ModelInfo sample() {
    return ModelFileTest.sample();
  }
}
