package dev.cxr.examples.cli;

import dev.cxr.core.image.ImageInfo;
import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code cxr image-info}: one line per PNG, JPEG or DICOM file, to check it against other tools.
 */
@Command(
    name = "image-info",
    mixinStandardHelpOptions = true,
    description =
        "Print one line per image: format, width x height, bits, photometric interpretation and"
            + " transfer syntax (DICOM), and min, max and mean of the stored values (DICOM: after"
            + " the modality LUT, before MONOCHROME1 inversion, as pydicom's apply_modality_lut).")
public final class ImageInfoCommand implements Callable<Integer> {
  @Mixin VerboseOption verboseOption;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "PNG, JPEG or DICOM files.")
  List<Path> files;

  @Override
  public Integer call() {
    // one bad file must not hide the others: report it on stderr, go on, and exit 2 at the end
    int bad = 0;
    for (Path f : files) {
      try {
        System.out.println(ImageInfo.of(f).line());
      } catch (CxrDataException e) {
        System.err.println("error: " + e.getMessage());
        bad++;
      }
    }
    return bad == 0 ? 0 : CxrCli.EXIT_BAD_INPUT;
  }
}
