package dev.cxr.examples.cli;

import dev.cxr.core.CxrModel;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.localize.FindingLocalization;
import dev.cxr.core.localize.ImageLocalization;
import dev.cxr.core.localize.Localization;
import dev.cxr.core.localize.LocalizationRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr localize}: Grad-CAM maps measured against radiologists' bounding boxes. */
@Command(
    name = "localize",
    mixinStandardHelpOptions = true,
    description = {
      "Measure where the model's Grad-CAM maps point on images with radiologists' boxes (NIH's"
          + " BBox_List_2017.csv): per finding, the pointing game (Zhang et al. 2016: the map's"
          + " maximum inside a box) with its Wilson 95%% interval, localisation accuracy at"
          + " T(IoBB) = 0.1, 0.25, 0.5, 0.75 and the average false positives (Wang et al. 2017),"
          + " each beside random maps on the same boxes. See docs/localisation.md.",
      "Use images the model did not train on: --split validation for a model's own held-out"
          + " patients (a crossval fold model's fold), or another folder."
    })
public final class LocalizeCommand implements Callable<Integer> {
  @Mixin VerboseOption verboseOption;
  @Mixin SplitOption splitOption;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file.")
  Path model;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Data directory (repeat for several).")
  List<Path> data;

  @Option(
      names = "--boxes",
      paramLabel = "FILE",
      description = "Box file (default: BBox_List_2017.csv in the first --data directory).")
  Path boxes;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description = "Labels CSV (default: the model's).")
  Path labels;

  @Option(
      names = "--finding",
      paramLabel = "NAME|all",
      description = "Finding to measure (default: all that the model predicts and have boxes).")
  String finding;

  @Option(
      names = "--threshold",
      paramLabel = "F",
      description =
          "A map's boxes are its regions at or above this fraction of its maximum (default:"
              + " ${DEFAULT-VALUE}).")
  double threshold = dev.cxr.core.localize.MapBoxes.DEFAULT_THRESHOLD;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the random maps (default: ${DEFAULT-VALUE}).")
  long seed = LocalizationRequest.DEFAULT_SEED;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Write localization.csv (one row per image and finding), table.txt and overlays"
              + " (DIR/<finding>/<image>-hit|miss.png: map, white true boxes, dashed orange map"
              + " boxes; hits and misses in equal parts where there are enough).")
  Path out;

  @Option(
      names = "--overlays",
      paramLabel = "N",
      description = "Overlays per finding with --out (default: ${DEFAULT-VALUE}).")
  int overlays = 6;

  @Override
  public Integer call() throws Exception {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("--threshold must be in (0, 1) but was " + threshold);
    }
    if (overlays < 0) {
      throw new IllegalArgumentException("--overlays must be >= 0 but was " + overlays);
    }
    if (out != null) {
      Files.createDirectories(out);
      AtomicFiles.checkWritable(out);
    }
    LocalizationRequest request =
        LocalizationRequest.of(data.toArray(Path[]::new))
            .boxes(boxes)
            .labels(labels)
            .findings(
                finding == null || finding.equalsIgnoreCase("all") ? List.of() : List.of(finding))
            .validationSplitOnly(splitOption.validationOnly())
            .mapThreshold(threshold)
            .seed(seed)
            .overlays(overlays);
    long t0 = System.nanoTime();
    Localization result = CxrModel.load(model).localize(request);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (result.findings().isEmpty()) {
      throw new IllegalArgumentException(
          "nothing to measure: " + String.join("; ", result.notMeasured()));
    }
    String table = result.table();
    System.out.print(table);
    int images = result.findings().stream().mapToInt(f -> f.images().size()).sum();
    System.out.printf(Locale.ROOT, "%d maps measured in %.1f s%n", images, seconds);
    if (out != null) {
      write(result, table);
    }
    return 0;
  }

  private void write(Localization result, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    StringBuilder header =
        new StringBuilder(
            "image,finding,probability,true_boxes,map_boxes,peak_x,peak_y,pointing_hit");
    for (double t : LocalizationRequest.IOBB_THRESHOLDS) {
      header.append(",localized_iobb_").append(t).append(",false_positives_iobb_").append(t);
    }
    rows.add(header.toString());
    int written = 0;
    for (FindingLocalization f : result.findings()) {
      Path dir = out.resolve(f.finding());
      List<ImageLocalization> shown = f.examples(overlays);
      for (ImageLocalization m : f.images()) {
        StringBuilder r = new StringBuilder();
        r.append(EvaluateCommand.csvField(m.explanation().image().toString()))
            .append(',')
            .append(f.finding())
            .append(String.format(Locale.ROOT, ",%.6f", m.explanation().probability()))
            .append(',')
            .append(m.truth().size())
            .append(',')
            .append(m.detected().size())
            .append(',')
            .append(m.peakX())
            .append(',')
            .append(m.peakY())
            .append(',')
            .append(m.pointingHit() ? 1 : 0);
        for (int t = 0; t < LocalizationRequest.IOBB_THRESHOLDS.size(); t++) {
          r.append(',').append(m.localized().get(t) ? 1 : 0);
          r.append(',').append(m.falsePositives().get(t));
        }
        rows.add(r.toString());
        if (shown.contains(m)) {
          Files.createDirectories(dir);
          String name = m.explanation().image().getFileName().toString();
          int dot = name.lastIndexOf('.');
          String stem = dot > 0 ? name.substring(0, dot) : name;
          m.explanation()
              .writeOverlay(
                  dir.resolve(stem + (m.pointingHit() ? "-hit" : "-miss") + ".png"),
                  512,
                  m.outlines());
          written++;
        }
      }
    }
    AtomicFiles.write(
        out.resolve("localization.csv"), tmp -> Files.write(tmp, rows, StandardCharsets.UTF_8));
    AtomicFiles.write(
        out.resolve("table.txt"), tmp -> Files.writeString(tmp, table, StandardCharsets.UTF_8));
    System.out.println(
        "wrote " + out.resolve("localization.csv") + ", table.txt and " + written + " overlays");
  }
}
