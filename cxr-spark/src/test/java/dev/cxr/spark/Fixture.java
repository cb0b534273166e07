package dev.cxr.spark;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.CxrModel;
import dev.cxr.core.CxrPipeline;
import dev.cxr.core.training.TrainingListener;
import dev.cxr.phantoms.DemoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A tiny model trained on 24 phantoms, saved, and a folder of 20 of the phantoms to score.
 *
 * @param model the model
 * @param modelFile where it is saved
 * @param images a folder of 20 PNG files
 */
record Fixture(CxrModel model, Path modelFile, Path images) {
  static Fixture create(Path dir) throws IOException {
    Path data = dir.resolve("phantoms");
    DemoData.builder().images(24).seed(7).size(48).build().writeTo(data);
    CxrModel model =
        CxrPipeline.builder()
            .resnet(18)
            .width(4)
            .imageSize(32)
            .batchSize(8)
            .epochs(1)
            .augmentation(CxrAugmentation.seedArticle())
            .workers(2)
            .listener(new TrainingListener() {})
            .fit(data);
    Path modelFile = dir.resolve("m.zip");
    model.save(modelFile);
    Path images = dir.resolve("images");
    Files.createDirectories(images);
    try (Stream<Path> s = Files.walk(data)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".png")).limit(20).toList()) {
        Files.copy(p, images.resolve(p.getFileName()));
      }
    }
    return new Fixture(model, modelFile, images);
  }
}
