package dev.cxr.examples;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.CxrModel;
import dev.cxr.core.CxrPipeline;
import dev.cxr.core.config.Schedule;
import java.nio.file.Path;

/**
 * Example 2: the seed article's final configuration ("Detecting anomalies in X-ray using CNN"): 256
 * px, pre-activation ResNet-18, cost-matrix cross-entropy [[1,5],[5,1]], rotation within ±10°
 * applied with probability 0.5, SGD with learning rate 0.01 halving every epoch, 10 epochs,
 * checkpoint on the best validation AUC.
 *
 * <p>Run: {@code java -cp cxr-examples/target/cxr.jar dev.cxr.examples.SeedArticleReplication
 * DATA_DIR [OUT_DIR]} with an NIH-layout directory (e.g. ../shared/data/nih-effusion-182). On 2 CPU
 * cores this takes roughly an hour for 182 images at 256 px.
 */
public final class SeedArticleReplication {
  private SeedArticleReplication() {}

  /**
   * @param args data directory, optional output directory (default {@code article-run})
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: SeedArticleReplication DATA_DIR [OUT_DIR]");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    Path out = Path.of(args.length > 1 ? args[1] : "article-run");
    CxrModel model =
        CxrPipeline.builder()
            .imageSize(256)
            .resnet(18)
            .preActivation(true)
            .costMatrix(1, 5, 5, 1)
            .augmentation(CxrAugmentation.seedArticle())
            .sgd(0.01, 0.9)
            .schedule(Schedule.STEP)
            .epochs(10)
            .patience(0) // the article trains all 10 epochs and keeps the best-AUC checkpoint
            .checkpointDir(out.resolve("checkpoints"))
            .fit(data);
    model.save(out.resolve("article-model.zip"));
    System.out.println(
        "best validation " + model.info().aucLine() + " at epoch " + model.info().bestEpoch());
  }
}
