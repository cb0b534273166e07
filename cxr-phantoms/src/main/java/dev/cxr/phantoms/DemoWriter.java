package dev.cxr.phantoms;

import dev.cxr.core.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Writes a {@link DemoData} configuration to disk: plans the cohort, renders and writes the PNG
 * images, then the label file. Kept apart from {@link DemoData} so that the configuration class
 * holds only settings and their validation.
 */
final class DemoWriter {

  private DemoWriter() {}

  /**
   * Writes the dataset; see {@link DemoData#writeTo(Path)} for the contract.
   *
   * @param config the configuration
   * @param directory the dataset directory; created if missing
   * @return counts of what was written
   * @throws IOException if the directory is unsuitable or a file cannot be written
   */
  static DemoDataSummary write(DemoData config, Path directory) throws IOException {
    Objects.requireNonNull(directory, "directory");
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new NotDirectoryException(directory.toString());
    }
    Path labelFile = directory.resolve(DemoData.LABEL_FILE);
    if (Files.exists(labelFile) && !config.overwrite()) {
      throw new FileAlreadyExistsException(
          labelFile.toString(),
          null,
          "a dataset is already there; choose an empty directory or pass overwrite(true)"
              + " (command line: --overwrite) to replace it");
    }
    Path imageDir = directory.resolve(DemoData.IMAGE_DIRECTORY);
    Files.createDirectories(imageDir);

    long seed = config.seed();
    int size = config.size();
    List<CohortPlan.Entry> plan = config.plan();
    writeImages(plan, config, imageDir);
    // The label file goes last: a directory that has one is complete.
    LabelFile labels = new LabelFile(plan, size, config.format());
    AtomicFiles.write(labelFile, tmp -> Files.write(tmp, labels.bytes()));
    int patients = (int) plan.stream().mapToInt(CohortPlan.Entry::patientId).distinct().count();
    return new DemoDataSummary(
        directory,
        plan.size(),
        patients,
        labels.effusion(),
        labels.noFinding(),
        plan.size() - labels.effusion() - labels.noFinding(),
        labels.labelCounts(),
        size,
        seed);
  }

  /**
   * Renders every planned image in parallel on the common fork-join pool and writes each to a
   * temporary file that is then moved into place, so no half-written PNG is ever visible. The bytes
   * do not depend on the thread that renders them: each patient's randomness comes from its own
   * streams (see {@link PatientModel}).
   */
  private static void writeImages(List<CohortPlan.Entry> plan, DemoData config, Path imageDir)
      throws IOException {
    int size = config.size();
    ImageFormat format = config.format();
    try {
      plan.parallelStream()
          .forEach(
              e -> {
                byte[] pixels = config.patient(e).render(e.followUp(), size);
                try {
                  Path target = imageDir.resolve(e.fileName(format));
                  if (format == ImageFormat.DICOM) {
                    DicomPhantomWriter.write(target, pixels, size, e.patientId(), e.followUp());
                  } else {
                    writePng(target, pixels, size);
                  }
                } catch (IOException ex) {
                  throw new UncheckedIOException(ex);
                }
              });
    } catch (UncheckedIOException ex) {
      // Streams cannot throw checked exceptions; unwrap so callers see the original IOException.
      throw ex.getCause();
    }
  }

  private static void writePng(Path target, byte[] pixels, int size) throws IOException {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, size, size, pixels);
    AtomicFiles.write(
        target,
        tmp -> {
          if (!ImageIO.write(image, "png", tmp.toFile())) {
            throw new IOException("no PNG writer available to write " + target);
          }
        });
  }
}
