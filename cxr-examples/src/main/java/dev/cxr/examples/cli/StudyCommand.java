package dev.cxr.examples.cli;

import dev.cxr.core.training.ConsoleProgress;
import dev.cxr.core.training.TrainingListener;
import dev.cxr.examples.study.ImbalanceStudy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr study}: reproducible experiments; {@code cxr study imbalance} for now. */
@Command(
    name = "study",
    mixinStandardHelpOptions = true,
    description = "Reproducible experiments on phantoms.",
    subcommands = {StudyCommand.Imbalance.class})
public final class StudyCommand implements Runnable {
  @Override
  public void run() {
    throw new IllegalArgumentException("name a study: imbalance");
  }

  /** {@code cxr study imbalance}: losses and the balanced sampler at a class imbalance. */
  @Command(
      name = "imbalance",
      mixinStandardHelpOptions = true,
      description =
          "On phantoms at a chosen prevalence (default 1:10), run patient-level k-fold"
              + " cross-validation with nested selection for plain cross-entropy, class weights"
              + " at the inverse prevalence, the cost matrix [[1,5],[5,1]], focal loss (gamma 2)"
              + " and the balanced sampler; print mean ± sd of ROC AUC, average precision and"
              + " sensitivity at 90%% specificity, and the time taken.")
  public static final class Imbalance implements Callable<Integer> {
    private static final ImbalanceStudy.Settings D = ImbalanceStudy.Settings.DEFAULTS;

    @Mixin VerboseOption verboseOption;

    @Option(
        names = "--work",
        paramLabel = "DIR",
        description = "Where the phantoms are written (default: a folder in the temp directory).")
    Path work;

    @Option(names = "--images", description = "Phantom images (default: ${DEFAULT-VALUE}).")
    int images = D.images();

    @Option(
        names = "--imbalance",
        paramLabel = "N",
        description = "Negatives per positive, 1:N (default: ${DEFAULT-VALUE}).")
    int imbalance = D.negativesPerPositive();

    @Option(names = "--size", description = "Image size in pixels (default: ${DEFAULT-VALUE}).")
    int size = D.imageSize();

    @Option(names = "--epochs", description = "Epochs per fold (default: ${DEFAULT-VALUE}).")
    int epochs = D.epochs();

    @Option(names = "--folds", description = "Folds (default: ${DEFAULT-VALUE}).")
    int folds = D.folds();

    @Option(names = "--width", description = "ResNet-18 width (default: ${DEFAULT-VALUE}).")
    int width = D.width();

    @Option(
        names = "--difficulty",
        description = "Phantom lesion difficulty in [0, 1] (default: ${DEFAULT-VALUE}).")
    double difficulty = D.difficulty();

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = D.seed();

    @Option(names = "--workers", description = "Decoding threads (default: ${DEFAULT-VALUE}).")
    int workers = D.workers();

    @Option(names = "--progress", description = "Print every epoch of every fold.")
    boolean progress;

    @Override
    public Integer call() throws Exception {
      ImbalanceStudy.Settings s =
          new ImbalanceStudy.Settings(
              images, imbalance, size, epochs, folds, width, difficulty, seed, workers);
      Path dir = work != null ? work : Files.createTempDirectory("cxr-study-");
      System.out.printf(
          Locale.ROOT,
          "imbalance study: %d phantoms at 1:%d, %d px, difficulty %.2f; ResNet-18 width %d,"
              + " %d epochs, %d-fold CV, nested selection; seed %d; phantoms in %s%n",
          images,
          imbalance,
          size,
          difficulty,
          width,
          epochs,
          folds,
          seed,
          dir);
      TrainingListener listener =
          progress ? ConsoleProgress.standardOutput() : new TrainingListener() {};
      long t0 = System.nanoTime();
      List<ImbalanceStudy.Row> rows =
          new ImbalanceStudy(s)
              .run(
                  dir,
                  listener,
                  r ->
                      System.out.printf(Locale.ROOT, "%s done in %.0f s%n", r.name(), r.seconds()));
      System.out.println();
      System.out.print(ImbalanceStudy.table(rows));
      System.out.printf(Locale.ROOT, "total: %.0f s%n", (System.nanoTime() - t0) / 1e9);
      return 0;
    }
  }
}
