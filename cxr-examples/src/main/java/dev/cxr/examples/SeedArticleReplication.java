package dev.cxr.examples;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.CxrModel;
import dev.cxr.core.CxrPipeline;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Schedule;
import dev.cxr.core.config.Selection;
import dev.cxr.core.data.Sampler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Example 2: a replication of the seed article's final run ("Detecting anomalies in X-ray using
 * CNN"): 256 px, a standard pre-activation ResNet-18 (64 base filters), cost-matrix cross-entropy
 * [[1,5],[5,1]], rotation within ±10° applied with probability 0.5 and nothing else, SGD with
 * learning rate 0.01 halving every epoch, 10 epochs without early stopping or weight averaging,
 * every image once per epoch, the checkpoint of the best validation AUC.
 *
 * <p>{@link #articleSettings()} sets every one of these explicitly, none taken from the library's
 * defaults (which change: a replication must not). The banner printed before training lists them,
 * then what cxr cannot match ({@link #banner(PipelineConfig)}): the article's own data and split,
 * its Keras weight initialisation and random streams, its image code, and the batch size.
 *
 * <p>Run: {@code java -cp cxr-examples/target/cxr.jar dev.cxr.examples.SeedArticleReplication
 * DATA_DIR [OUT_DIR] [--size N] [--width N] [--epochs N] [--verbose]} with an NIH-layout directory
 * (e.g. ../shared/data/nih-effusion-182); the model goes to {@code OUT_DIR/article-model.zip}
 * (default {@code article-run}). On the 182 NIH images a run took 14 minutes on 2 CPU cores shared
 * with other jobs. {@code --size}, {@code --width} and {@code --epochs} shrink the run for a quick
 * look; the banner then lists them as changed from the article.
 */
public final class SeedArticleReplication {
  /** The article's best validation AUC, on its own split of about 96 images. */
  public static final double ARTICLE_BEST_AUC = 0.7344;

  /**
   * The settings the article fixed, as named in {@link PipelineConfig#describe()}; a setting that
   * is off has no line there and reads as {@code none}.
   */
  public static final List<String> FROM_THE_ARTICLE =
      List.of(
          "network",
          "image size",
          "epochs",
          "early stopping",
          "optimizer",
          "learning rate",
          "loss",
          "augmentation",
          "weight averaging",
          "sampler",
          "epoch chosen on",
          "positive finding",
          "normalisation",
          "dropout",
          "l2");

  private static final String USAGE =
      "SeedArticleReplication DATA_DIR [OUT_DIR] [--size N] [--width N] [--epochs N] [--verbose]";

  private SeedArticleReplication() {}

  /**
   * The article's settings, each set here rather than taken from the library's defaults. Not the
   * article's: the batch size (16), the validation fraction, the seed and the workers, which keep
   * cxr's values.
   *
   * @return the configuration (no checkpoint directory)
   */
  public static PipelineConfig articleSettings() {
    return PipelineConfig.builder()
        .resnet(18)
        .preActivation(true) // He et al. 2016
        .width(64) // the standard ResNet's 64 base filters
        .imageSize(256)
        .epochs(10)
        .patience(0) // all 10 epochs: the article had no early stopping
        .sgd(0.01, 0.9)
        .schedule(Schedule.STEP) // halved every epoch
        .costMatrix(1, 5, 5, 1)
        .augmentation(CxrAugmentation.seedArticle()) // rotation ±10° with probability 0.5
        .ema(0) // no weight averaging
        .sampler(Sampler.NATURAL) // every image once per epoch, no oversampling
        .selectOn(Selection.VALIDATION) // the checkpoint of the best validation AUC
        .positive("Effusion")
        .othersAsNegative(false) // Effusion vs No Finding only
        .standardise(false) // per-image min-max only
        .dropout(0)
        .l2(0)
        .batchSize(16) // cxr's: not one of the settings taken from the article
        .build();
  }

  /**
   * The lines printed before training: the settings as in the article, those changed on the command
   * line (with the article's value), and what cxr cannot match.
   *
   * @param run the configuration that will train
   * @return the banner, one line per element
   */
  public static List<String> banner(PipelineConfig run) {
    Map<String, String> article = articleSettings().describe();
    Map<String, String> here = run.describe();
    List<String> same = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (String key : FROM_THE_ARTICLE) {
      String a = article.getOrDefault(key, "none");
      String h = here.getOrDefault(key, "none");
      if (a.equals(h)) {
        same.add(line(key, h));
      } else {
        changed.add(line(key, h + " (the article: " + a + ")"));
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        "seed article replication: \"Detecting anomalies in X-ray using CNN\", best validation AUC "
            + ARTICLE_BEST_AUC);
    lines.add("  as in the article:");
    lines.addAll(same);
    if (!changed.isEmpty()) {
      lines.add("  changed from the article on the command line:");
      lines.addAll(changed);
    }
    lines.add("  not as in the article:");
    lines.add(
        line(
            "data and split",
            "the article's own NIH images, validated on its own split of ~96 images; here a fraction "
                + run.validationFraction()
                + " of the patients in DATA_DIR, seed "
                + run.seed()));
    lines.add(
        line(
            "initial weights",
            "Keras's initialisation; here cxr-resnet's (He-normal convolutions, Xavier head), seed "
                + run.seed()));
    lines.add(
        line(
            "random draws",
            "the article's shuffles and rotation angles; here cxr's seeded streams, seed "
                + run.seed()));
    lines.add(
        line(
            "image code",
            "the article's Python decoding, resizing and rotation; here cxr's: same size and"
                + " angle range, not the same pixels"));
    lines.add(line("batch size", run.batchSize() + ", cxr's (not taken from the article)"));
    return lines;
  }

  private static String line(String key, String value) {
    return String.format(Locale.ROOT, "    %-18s %s", key, value);
  }

  /**
   * @param args data directory, optional output directory (default {@code article-run}) and options
   *     (see the class comment)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    ExampleArgs a =
        ExampleArgs.parse(
            args, USAGE, 1, 2, ExampleArgs.SIZE, ExampleArgs.WIDTH, ExampleArgs.EPOCHS);
    Path data = Path.of(a.positional(0).orElseThrow());
    Path out = Path.of(a.positional(1).orElse("article-run"));
    CxrPipeline pipeline =
        a.applyTo(CxrPipeline.builder(articleSettings()))
            .checkpointDir(out.resolve("checkpoints"))
            .build();
    banner(pipeline.config()).forEach(System.out::println);
    CxrModel model = pipeline.fit(data);
    model.save(out.resolve("article-model.zip"));
    System.out.println(
        "best validation " + model.info().aucLine() + " at epoch " + model.info().bestEpoch());
    System.out.println(
        "the article: best validation AUC "
            + ARTICLE_BEST_AUC
            + " on its own split of ~96 images (see the banner for what differs)");
  }
}
