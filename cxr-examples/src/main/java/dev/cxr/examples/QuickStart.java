package dev.cxr.examples;

import dev.cxr.core.CxrModel;
import dev.cxr.core.CxrPipeline;
import dev.cxr.core.demo.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Example 1, the one-liner: train ResNet-18 with class weights (1, 5) on a data directory, then
 * predict one image.
 *
 * <p>Run: {@code java -cp cxr-examples/target/cxr.jar dev.cxr.examples.QuickStart [DATA_DIR]}.
 * Without an argument it generates a small phantom data set first and trains at 128 px for a few
 * epochs so that it finishes in a couple of minutes; with a directory (NIH layout or class folders)
 * it trains with the library's defaults (256 px, 10 epochs).
 */
public final class QuickStart {
  private QuickStart() {}

  /**
   * @param args optional data directory
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    CxrModel model;
    Path dir;
    if (args.length > 0) {
      dir = Path.of(args[0]);
      model = CxrPipeline.builder().resnet(18).classWeights(1, 5).fit(dir);
    } else {
      dir = Files.createTempDirectory("cxr-quickstart-");
      DemoData.builder().images(200).size(128).build().writeTo(dir);
      model =
          CxrPipeline.builder()
              .resnet(18)
              .classWeights(1, 5)
              .imageSize(128)
              .width(16)
              .epochs(5) // shortened for the phantom demo
              .fit(dir);
    }
    System.out.println("validation " + model.info().aucLine());
    model.save(Path.of("quickstart-model.zip"));

    Path image;
    try (var files = Files.walk(dir)) {
      image = files.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
    }
    Map<String, Double> p = model.predict(image);
    System.out.println(image + " -> " + p);
  }
}
