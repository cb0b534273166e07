package dev.cxr.serve;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.CxrModel;
import dev.cxr.core.CxrPipeline;
import dev.cxr.core.training.TrainingListener;
import dev.cxr.phantoms.DemoData;
import dev.cxr.phantoms.ImageFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One tiny model for every test of this module (trained once per test JVM, in about two seconds): a
 * ResNet-18 of width 4 at 32 px, one epoch on 24 phantoms, saved; beside it PNG and DICOM phantoms
 * to send. The folder is deleted when the JVM ends.
 *
 * @param model the model
 * @param file where it is saved
 * @param pngs PNG phantoms
 * @param dicoms DICOM phantoms
 */
record TinyModel(CxrModel model, Path file, List<Path> pngs, List<Path> dicoms) {
  private static TinyModel shared;

  static synchronized TinyModel get() {
    if (shared == null) {
      try {
        shared = create(Files.createTempDirectory("cxr-serve-test"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  private static TinyModel create(Path dir) throws IOException {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
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
    Path file = dir.resolve("tiny.zip");
    model.save(file);
    Path dicomData = dir.resolve("dicom");
    DemoData.builder()
        .images(4)
        .seed(8)
        .size(48)
        .format(ImageFormat.DICOM)
        .build()
        .writeTo(dicomData);
    return new TinyModel(
        CxrModel.load(file), file, images(data, ".png"), images(dicomData, ".dcm"));
  }

  private static List<Path> images(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().limit(8).toList();
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is not worth failing the JVM's exit for
    }
  }
}
