package dev.cxr.core.training;

import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import dev.cxr.core.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The folds of a cross-validation as a CSV ({@value #NAME}), so that another tool (the PyTorch peer
 * in {@code bench/}) can train on exactly the same folds: a header {@code
 * path,patient,fold,<finding 1>,...,<finding N>}, then one row per image: its absolute path, its
 * patient, the 1-based fold in which it is held out, and 0/1 per finding of the task.
 */
final class FoldsFile {
  /** File name in the cross-validation's output directory: {@value}. */
  static final String NAME = "folds.csv";

  private FoldsFile() {}

  static void write(Path file, TrainingData data, List<PatientSplit> folds) {
    List<String> findings = data.task().findings();
    try {
      AtomicFiles.write(
          file,
          tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
              w.write("path,patient,fold");
              for (String f : findings) {
                w.write("," + f);
              }
              w.write("\n");
              for (int i = 0; i < folds.size(); i++) {
                for (Sample s : folds.get(i).validation()) {
                  w.write(quoted(s.path().toAbsolutePath().toString()));
                  w.write("," + quoted(s.patientId()) + "," + (i + 1));
                  for (int f = 0; f < findings.size(); f++) {
                    w.write(s.has(f) ? ",1" : ",0");
                  }
                  w.write("\n");
                }
              }
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** RFC 4180 quoting where a field needs it. */
  private static String quoted(String field) {
    if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
      return "\"" + field.replace("\"", "\"\"") + "\"";
    }
    return field;
  }
}
