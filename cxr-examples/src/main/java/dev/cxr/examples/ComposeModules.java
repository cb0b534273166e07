package dev.cxr.examples;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.data.CxrDataSetIterator;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.loss.CostMatrixCrossEntropy;
import dev.cxr.phantoms.DemoData;
import dev.cxr.resnet.ResNets;
import dev.cxr.resnet.compat.OneDnnHelpers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.evaluation.classification.ROC;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Example 3: the modules used directly in plain DL4J, without {@code CxrPipeline}: cxr-core's data
 * generator, cxr-resnet's graph and cxr-loss's cost-matrix loss, trained with {@code
 * ComputationGraph.fit} and scored with DL4J's own exact ROC.
 *
 * <p>Run: {@code java -cp cxr-examples/target/cxr.jar dev.cxr.examples.ComposeModules [DATA_DIR]
 * [--size N] [--width N] [--epochs N] [--verbose]}: without a directory it generates {@value
 * #PHANTOM_IMAGES} phantoms; by default it trains at {@value #SIZE} px, width {@value #WIDTH}, for
 * {@value #EPOCHS} epochs; {@code --verbose} shows the native backend's log.
 */
public final class ComposeModules {
  /** Phantom images generated when no directory is given. */
  public static final int PHANTOM_IMAGES = 120;

  /** Image size unless {@code --size} is given. */
  public static final int SIZE = 64;

  /** Network width unless {@code --width} is given. */
  public static final int WIDTH = 16;

  /** Epochs unless {@code --epochs} is given. */
  public static final int EPOCHS = 3;

  private ComposeModules() {}

  /**
   * @param args optional data directory and options (see the class comment)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    ExampleArgs a =
        ExampleArgs.parse(
            args,
            "ComposeModules [DATA_DIR] [--size N] [--width N] [--epochs N] [--verbose]",
            0,
            1,
            ExampleArgs.SIZE,
            ExampleArgs.WIDTH,
            ExampleArgs.EPOCHS);
    int size = a.integer(ExampleArgs.SIZE, SIZE);
    Path dir;
    if (a.positional(0).isPresent()) {
      dir = Path.of(a.positional(0).get());
    } else {
      dir = Files.createTempDirectory("cxr-compose-");
      DemoData.builder().images(PHANTOM_IMAGES).size(size).build().writeTo(dir);
    }

    // cxr-core: discover, label (Effusion vs No Finding) and split by patient
    CxrTask.Labeled labeled = CxrTask.EFFUSION.label(CxrDataset.scan(dir));
    PatientSplit split = PatientSplit.trainValidation(labeled.samples(), 0.2, 42);
    CxrAugmentation aug = CxrAugmentation.medicalSafe();
    CxrDataSetIterator train =
        CxrDataSetIterator.builder()
            .samples(split.train())
            .imageSize(size)
            .batchSize(16)
            .augmenter(aug::apply)
            .labelNames(labeled.labelNames())
            .build();
    CxrDataSetIterator val =
        CxrDataSetIterator.builder()
            .samples(split.validation())
            .imageSize(size)
            .batchSize(32)
            .shuffle(false)
            .labelNames(labeled.labelNames())
            .build();

    // cxr-resnet + cxr-loss: a ResNet-18 graph with the article's cost-matrix loss
    // plain DL4J leaves its oneDNN kernels off; switch them on before building (JVM-wide)
    OneDnnHelpers.ensureEnabled();
    ComputationGraph net =
        ResNets.builder()
            .depth(18)
            .width(a.integer(ExampleArgs.WIDTH, WIDTH))
            .inputShape(1, size, size)
            .classes(2)
            .loss(CostMatrixCrossEntropy.diagonal(2, 1, 5))
            .updater(new Adam(1e-3))
            .seed(42)
            .build();

    int epochs = a.integer(ExampleArgs.EPOCHS, EPOCHS);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      net.fit(train); // DL4J resets the iterator, which starts the next (reshuffled) epoch
      ROC roc = net.evaluateROC(val, 0); // 0 threshold steps: exact AUC
      System.out.printf("epoch %d: validation AUC %.4f%n", epoch, roc.calculateAUC());
    }
    train.shutdown();
    val.shutdown();
  }
}
