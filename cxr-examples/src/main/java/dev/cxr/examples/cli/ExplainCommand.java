package dev.cxr.examples.cli;

import dev.cxr.core.CxrModel;
import dev.cxr.core.data.NihLabels;
import dev.cxr.core.explain.Explanation;
import dev.cxr.core.explain.Outline;
import dev.cxr.core.image.ImageInfo;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.localize.BoundingBoxes;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxr explain}: one Grad-CAM overlay PNG per image. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
        "Write one Grad-CAM overlay per image to DIR/<name>-gradcam.png: the radiograph in grey,"
            + " where the network looked for the positive finding in viridis, a colour bar and"
            + " the caption 'Effusion 0.83 (threshold 0.41)'.")
public final class ExplainCommand implements Callable<Integer> {
  @Mixin VerboseOption verboseOption;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file.")
  Path model;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory for the overlays (created if missing).")
  Path outDir;

  @Option(
      names = "--max-side",
      paramLabel = "PX",
      defaultValue = "1024",
      description = "Longest side of the radiograph in the overlay (default: ${DEFAULT-VALUE}).")
  int maxSide;

  @Option(
      names = "--finding",
      paramLabel = "NAME",
      description =
          "Finding to explain (a multi-label model's; default: every finding at or above its"
              + " threshold, one overlay each, DIR/<name>-<finding>-gradcam.png).")
  String finding;

  @Option(
      names = "--boxes",
      paramLabel = "FILE",
      description =
          "Radiologists' boxes (NIH's BBox_List_2017.csv, in the 1024 px frame of NIH's PNGs):"
              + " each image's boxes for the finding explained are drawn in white.")
  Path boxesFile;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "PNG, JPEG or DICOM images, any size or bit depth.")
  List<Path> files;

  @Override
  public Integer call() throws Exception {
    if (maxSide < 16 || maxSide > 8192) {
      throw new IllegalArgumentException("--max-side must be in [16, 8192] but was " + maxSide);
    }
    Map<Path, Path> seen = new HashMap<>();
    for (Path f : files) {
      Path target = target(f);
      Path before = seen.put(target, f);
      if (before != null) {
        throw new IllegalArgumentException(
            before + " and " + f + " would both be written to " + target + "; rename one");
      }
    }
    AtomicFiles.checkWritable(outDir); // fail before the work, not after it
    CxrModel m = CxrModel.load(model);
    BoundingBoxes boxes = boxesFile == null ? null : BoundingBoxes.read(boxesFile);
    if (!m.info().task().multiLabel()) {
      List<Explanation> ex = finding == null ? m.explain(files) : m.explain(files, finding);
      for (int i = 0; i < files.size(); i++) {
        Path target = target(files.get(i));
        ex.get(i).writeOverlay(target, maxSide, outlines(boxes, ex.get(i)));
        System.out.println(files.get(i) + "  " + ex.get(i).caption() + "  -> " + target);
      }
      return 0;
    }
    List<String> findings = finding == null ? m.info().task().findings() : List.of(finding);
    boolean[] any = new boolean[files.size()];
    for (String f : findings) {
      List<Explanation> ex = m.explain(files, f);
      for (int i = 0; i < files.size(); i++) {
        if (finding == null && !ex.get(i).positive()) {
          continue; // by default only the findings the operating thresholds call
        }
        any[i] = true;
        Path target = target(files.get(i), ex.get(i).label());
        ex.get(i).writeOverlay(target, maxSide, outlines(boxes, ex.get(i)));
        System.out.println(files.get(i) + "  " + ex.get(i).caption() + "  -> " + target);
      }
    }
    for (int i = 0; i < files.size(); i++) {
      if (!any[i]) {
        System.out.println(files.get(i) + "  no finding at or above its threshold");
      }
    }
    return 0;
  }

  /** The true boxes of an explanation's image and finding, in the image's pixels. */
  static List<Outline> outlines(BoundingBoxes boxes, Explanation e) {
    if (boxes == null || NihLabels.canonical(e.label()).isEmpty()) {
      return List.of();
    }
    ImageInfo size = ImageInfo.of(e.image());
    return boxes
        .forImage(
            e.image().getFileName().toString(),
            NihLabels.canonical(e.label()).get(),
            size.width(),
            size.height())
        .stream()
        .map(
            t ->
                new Outline(
                    t.box().x(),
                    t.box().y(),
                    t.box().width(),
                    t.box().height(),
                    Outline.Kind.TRUTH))
        .toList();
  }

  private Path target(Path image) {
    return outDir.resolve(stem(image) + "-gradcam.png");
  }

  private Path target(Path image, String finding) {
    return outDir.resolve(stem(image) + "-" + finding.replace(' ', '_') + "-gradcam.png");
  }

  private static String stem(Path image) {
    String name = image.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
