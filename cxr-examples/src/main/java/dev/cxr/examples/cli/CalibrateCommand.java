package dev.cxr.examples.cli;

import dev.cxr.core.CxrModel;
import dev.cxr.core.evaluation.TemperatureScaling;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.provenance.ValidationSummary;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr calibrate}: fit a softmax temperature on the validation split and store it. */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description =
        "Fit a softmax temperature (Guo et al. 2017) on the validation split of the model's own"
            + " training run and write the model with it; predict, evaluate, explain and report"
            + " then use the scaled probabilities. The AUC and each image's side of the threshold"
            + " (moved with the probabilities) do not change.")
public final class CalibrateCommand implements Callable<Integer> {
  @Mixin VerboseOption verboseOption;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file.")
  Path model;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "The data the model was trained on (its fingerprint is checked).")
  Path data;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "MODEL",
      description = "Model file to write (may be --model itself: it is replaced atomically).")
  Path out;

  @Override
  public Integer call() throws Exception {
    AtomicFiles.checkWritable(out.toAbsolutePath().getParent());
    CxrModel m = CxrModel.load(model);
    CxrModel calibrated = m.calibrate(data);
    calibrated.save(out);
    ValidationSummary before = m.info().validation();
    ValidationSummary after = calibrated.info().validation();
    System.out.printf(
        Locale.ROOT,
        "temperature: %.4f (was %.4f); threshold %.4f -> %.4f%nwrote %s%n",
        after.temperature(),
        before.temperature(),
        before.threshold(),
        after.threshold(),
        out);
    double t = after.temperature();
    if (t >= TemperatureScaling.MAX * 0.999 || t <= TemperatureScaling.MIN * 1.001) {
      System.out.printf(
          Locale.ROOT,
          "note: the temperature reached the end of the range searched [%s, %s]; a temperature"
              + " has no bias term, so these probabilities are far from the observed frequencies"
              + " and can only be flattened towards 0.5 (or sharpened)%n",
          TemperatureScaling.MIN,
          TemperatureScaling.MAX);
    }
    return 0;
  }
}
