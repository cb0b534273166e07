package example.consumer;

import dev.cxr.core.CxrModel;
import dev.cxr.core.CxrPipeline;
import dev.cxr.phantoms.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The README's one-liner, on generated phantoms: train one epoch at 64 px, then predict. */
public final class OneLiner {
  private OneLiner() {}

  /**
   * Trains and predicts; prints the probabilities of the first image.
   *
   * @param args optional data directory to create (default: a temporary one)
   * @return the prediction of the first image
   * @throws Exception on failure
   */
  public static Map<String, Double> run(String... args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("cxr-it");
    DemoData.builder().images(60).seed(5).size(64).build().writeTo(dir);

    CxrModel model =
        CxrPipeline.builder().resnet(18).classWeights(1, 5).imageSize(64).epochs(1).fit(dir);

    Path image;
    try (var files = Files.walk(dir)) {
      image = files.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
    }
    Map<String, Double> p = model.predict(image);
    System.out.println(image.getFileName() + " " + p);
    return p;
  }

  /**
   * Entry point.
   *
   * @param args optional data directory
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    run(args);
  }
}
