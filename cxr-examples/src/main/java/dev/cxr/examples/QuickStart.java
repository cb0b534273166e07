package dev.cxr.examples;

import dev.cxr.core.CxrModel;
import dev.cxr.core.CxrPipeline;
import dev.cxr.phantoms.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Example 1, the one-liner: train ResNet-18 with class weights (1, 5) on a data directory, then
 * predict one image.
 *
 * <p>Run: {@code java -cp cxr-examples/target/cxr.jar dev.cxr.examples.QuickStart [DATA_DIR]
 * [--model FILE] [--size N] [--width N] [--epochs N] [--verbose]}. With a directory (NIH layout or
 * class folders) it trains with the library's defaults, {@link
 * dev.cxr.core.config.PipelineConfig#DEFAULTS} (the banner printed when training starts lists
 * them). Without one it first generates {@value #PHANTOM_IMAGES} phantom images in a temporary
 * directory and trains on them at {@value #PHANTOM_SIZE} px, width {@value #PHANTOM_WIDTH}, for
 * {@value #PHANTOM_EPOCHS} epochs, so that it finishes in a couple of minutes. {@code --size},
 * {@code --width} and {@code --epochs} override either; the model goes to {@code --model} (default
 * {@value #DEFAULT_MODEL}); {@code --verbose} shows the native backend's log.
 */
public final class QuickStart {
  /** Phantom images generated when no directory is given. */
  public static final int PHANTOM_IMAGES = 200;

  /** Image size of the phantom run. */
  public static final int PHANTOM_SIZE = 128;

  /** Network width of the phantom run. */
  public static final int PHANTOM_WIDTH = 16;

  /** Epochs of the phantom run. */
  public static final int PHANTOM_EPOCHS = 5;

  /** Where the model is saved unless {@code --model} says otherwise. */
  public static final String DEFAULT_MODEL = "quickstart-model.zip";

  private static final String USAGE =
      "QuickStart [DATA_DIR] [--model FILE] [--size N] [--width N] [--epochs N] [--verbose]";

  private QuickStart() {}

  /**
   * @param args optional data directory and options (see the class comment)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    ExampleArgs a =
        ExampleArgs.parse(
            args,
            USAGE,
            0,
            1,
            ExampleArgs.MODEL,
            ExampleArgs.SIZE,
            ExampleArgs.WIDTH,
            ExampleArgs.EPOCHS);
    CxrModel model;
    Path dir;
    if (a.positional(0).isPresent()) {
      dir = Path.of(a.positional(0).get());
      model = a.applyTo(CxrPipeline.builder().resnet(18).classWeights(1, 5)).fit(dir);
    } else {
      dir = Files.createTempDirectory("cxr-quickstart-");
      int size = a.integer(ExampleArgs.SIZE, PHANTOM_SIZE);
      DemoData.builder().images(PHANTOM_IMAGES).size(size).build().writeTo(dir);
      model =
          a.applyTo(
                  CxrPipeline.builder()
                      .resnet(18)
                      .classWeights(1, 5)
                      .imageSize(PHANTOM_SIZE)
                      .width(PHANTOM_WIDTH)
                      .epochs(PHANTOM_EPOCHS)) // shortened for the phantom demo
              .fit(dir);
    }
    System.out.println("validation " + model.info().aucLine());
    Path saved = a.path(ExampleArgs.MODEL, Path.of(DEFAULT_MODEL));
    model.save(saved);
    System.out.println("saved " + saved);

    Path image;
    try (var files = Files.walk(dir)) {
      image = files.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
    }
    Map<String, Double> p = model.predict(image);
    System.out.println(image + " -> " + p);
  }
}
