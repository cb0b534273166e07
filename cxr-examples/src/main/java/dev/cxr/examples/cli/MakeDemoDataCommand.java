package dev.cxr.examples.cli;

import dev.cxr.phantoms.DemoData;
import dev.cxr.phantoms.DemoDataBuilder;
import dev.cxr.phantoms.DemoDataSummary;
import dev.cxr.phantoms.ImageFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cxr make-demo-data}: writes a seeded set of synthetic chest-radiograph phantoms in the NIH
 * ChestX-ray14 layout ({@code Data_Entry_2017.csv} and {@code images/}), see {@link DemoData}.
 */
@Command(
    name = "make-demo-data",
    mixinStandardHelpOptions = true,
    description =
        "Write synthetic chest-radiograph phantoms (Effusion / No Finding) in the NIH "
            + "layout: DIR/Data_Entry_2017.csv and DIR/images/*.png. Same seed, same bytes.")
public final class MakeDemoDataCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin VerboseOption verboseOption;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Dataset directory to write.")
  Path out;

  @Option(
      names = "--n",
      paramLabel = "N",
      defaultValue = "" + DemoData.DEFAULT_IMAGES,
      description = "Number of images (default: ${DEFAULT-VALUE}).")
  int images;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "" + DemoData.DEFAULT_SEED,
      description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--size",
      paramLabel = "PX",
      defaultValue = "" + DemoData.DEFAULT_SIZE,
      description = "Image width and height in pixels, 32..2048 (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--positive-fraction",
      paramLabel = "FRACTION",
      defaultValue = "" + DemoData.DEFAULT_POSITIVE_FRACTION,
      description =
          "Fraction of Effusion among Effusion / No Finding images (default: ${DEFAULT-VALUE}).")
  double positiveFraction;

  @Option(
      names = "--other-findings",
      paramLabel = "N",
      defaultValue = "" + DemoData.DEFAULT_OTHER_FINDINGS,
      description =
          "Images with another finding only, excluded by the default task (default:"
              + " ${DEFAULT-VALUE}).")
  int otherFindings;

  @Option(
      names = "--format",
      defaultValue = "png",
      description =
          "Image format: png (8-bit gray) or dicom (12-bit CR, half MONOCHROME1)"
              + " (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--difficulty",
      paramLabel = "D",
      defaultValue = "" + DemoData.DEFAULT_DIFFICULTY,
      description =
          "How subtle the effusions are, in [0, 1]: 1 keeps a quarter of their height and a"
              + " fifth of their density (default: ${DEFAULT-VALUE}).")
  double difficulty;

  @Option(
      names = "--labels-like",
      paramLabel = "FILE",
      description =
          "Copy the cohort of a real NIH label file (.csv or .csv.gz): the first --n rows' image"
              + " names, patient ids and findings, e.g."
              + " ../shared/data/nih-labels/Data_Entry_2017_v2020.csv.gz. Conflicts with"
              + " --positive-fraction and --other-findings.")
  Path labelsLike;

  @Option(names = "--overwrite", description = "Replace an existing Data_Entry_2017.csv in DIR.")
  boolean overwrite;

  @Option(
      names = "--findings",
      paramLabel = "A,B,...|all",
      split = ",",
      description =
          "Multi-finding phantoms: every image draws each of these findings independently"
              + " (NIH multi-label CSV); 'all' for every finding the phantoms can draw."
              + " Conflicts with --positive-fraction, --other-findings and --labels-like.")
  List<String> findings;

  @Option(
      names = "--boxes",
      description =
          "Also write BBox_List_2017.csv: each drawn finding's box (its lesion's bounding box) in"
              + " NIH's format and 1024 px frame, for cxr localize and the report.")
  boolean boxes;

  /** Creates the command (picocli fills the options). */
  public MakeDemoDataCommand() {}

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    try {
      DemoDataBuilder b =
          DemoData.builder()
              .images(images)
              .seed(seed)
              .size(size)
              .difficulty(difficulty)
              .overwrite(overwrite)
              .format(imageFormat(format));
      var parsed = spec.commandLine().getParseResult();
      boolean free = labelsLike == null && findings == null; // the defaults of the old modes
      if (free || parsed.hasMatchedOption("--positive-fraction")) {
        b.positiveFraction(positiveFraction);
      }
      if (free || parsed.hasMatchedOption("--other-findings")) {
        b.otherFindings(otherFindings);
      }
      if (labelsLike != null) {
        b.labelsLike(labelsLike);
      }
      List<String> drawn = findings(findings);
      if (drawn != null) {
        b.findings(drawn);
      }
      DemoData data = b.build();
      long start = System.nanoTime();
      DemoDataSummary s = data.writeTo(out);
      double seconds = (System.nanoTime() - start) / 1e9;
      Path dir = s.directory().toAbsolutePath().normalize();
      stdout.printf(
          "wrote %d phantom images (%dx%d px, seed %d) in %.1f s%n",
          s.images(), s.size(), s.size(), s.seed(), seconds);
      stdout.printf("  Effusion:   %d%n", s.effusion());
      stdout.printf("  No Finding: %d%n", s.noFinding());
      if (s.otherFinding() > 0) {
        stdout.printf("  other findings only: %d%n", s.otherFinding());
      }
      stdout.printf(
          "  patients:   %d (%d with a follow-up image)%n",
          s.patients(), s.images() - s.patients());
      if (s.labelCounts().size() <= 20) {
        stdout.printf("  labels:     %s%n", s.labelCounts());
      } else {
        stdout.printf("  labels:     %d distinct Finding Labels cells%n", s.labelCounts().size());
      }
      if (boxes) {
        stdout.printf("  boxes:      %d (%s)%n", data.writeBoxes(out), DemoData.BOX_FILE);
      }
      stdout.printf("  directory:  %s%n", dir);
      stdout.flush();
      return 0;
    } catch (IllegalArgumentException | IOException | dev.cxr.core.io.CxrDataException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      stderr.println("error: " + msg.replace('\n', ' '));
      if (verboseOption != null && verboseOption.verbose) {
        e.printStackTrace(stderr);
      }
      stderr.flush();
      return CxrCli.EXIT_BAD_INPUT;
    }
  }

  /**
   * The {@code --findings} option's value (shared with {@code demo}).
   *
   * @param given the option's values, or null when not given
   * @return null, every drawable finding for {@code all}, else the names given
   */
  static List<String> findings(List<String> given) {
    if (given == null) {
      return null;
    }
    if (given.size() == 1 && given.get(0).equalsIgnoreCase("all")) {
      return DemoData.DRAWABLE_FINDINGS;
    }
    return given;
  }

  /**
   * The {@code --format} option's value, the error naming the option (shared with {@code demo}).
   *
   * @param name png or dicom
   * @return the format
   */
  static ImageFormat imageFormat(String name) {
    try {
      return ImageFormat.parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + e.getMessage(), e);
    }
  }
}
