package dev.cxr.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.CxrModel;
import dev.cxr.core.CxrPipeline;
import dev.cxr.core.evaluation.Evaluation;
import dev.cxr.core.evaluation.EvaluationRequest;
import dev.cxr.core.evaluation.TemperatureScaling;
import dev.cxr.core.training.TrainingListener;
import dev.cxr.phantoms.DemoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report: every section there, self-contained (nothing fetched), strings escaped, the
 * galleries as many as asked. How it looks in a browser is checked by bench/check-report.sh.
 */
class ReportTest {
  @TempDir static Path shared;
  static Path data;
  static CxrModel model;

  @BeforeAll
  static void train() throws IOException {
    data = shared.resolve("phantoms");
    DemoData.builder().images(40).seed(3).size(64).build().writeTo(data);
    model =
        CxrPipeline.builder()
            .width(4)
            .imageSize(32)
            .batchSize(8)
            .epochs(2)
            .augmentation(CxrAugmentation.none())
            .patience(0)
            .workers(2)
            .listener(new TrainingListener() {})
            .fit(data);
  }

  @Test
  void oneSelfContainedPageWithEverySection(@TempDir Path out) throws IOException {
    Path html =
        Report.builder(model.network(), model.info())
            .data(data)
            .modelName("<script>alert('x')</script>&.zip")
            .gallerySize(2)
            .build()
            .write(out);
    assertThat(html).isEqualTo(out.resolve("report.html"));
    String page = Files.readString(html);
    assertThat(page)
        .startsWith("<!DOCTYPE html>")
        .contains("id=\"discrimination\"", "id=\"calibration\"", "id=\"threshold\"")
        .contains("id=\"training\"", "id=\"galleries\"", "id=\"provenance\"", "id=\"metadata\"")
        .contains("DeLong", "average precision", "Brier", "expected calibration error")
        .contains("@media print")
        .contains("This is the data the model was trained on");
    // the model name is shown escaped, never as markup
    assertThat(page).doesNotContain("<script").doesNotContain("alert('x')");
    assertThat(page).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;.zip");
    // nothing is fetched: no external URL in any src or href, no stylesheet or font link
    assertThat(page).doesNotContain("<link").doesNotContain("@import").doesNotContain("url(");
    Matcher refs = Pattern.compile("(src|href)=\"([^\"]*)\"").matcher(page);
    int images = 0;
    while (refs.find()) {
      assertThat(refs.group(2)).as(refs.group()).startsWith("data:image/png;base64,");
      images++;
    }
    // up to 2 per gallery; the three galleries of a 2-epoch model on 40 phantoms are not empty
    assertThat(images).isBetween(1, 6);
    assertThat(page).contains("True positives (", "False negatives (", "False positives (");
    // the operating threshold's row is highlighted in the thresholds table
    assertThat(page).contains("<tr class=\"op\">");
    // the inline charts are SVG: ROC, PR, reliability, loss, AUC
    assertThat(page.split("<svg xmlns", -1)).hasSize(6);
  }

  /** Calibration shares this class's trained model (training once per class keeps tests fast). */
  @Test
  void calibrationIsStoredAppliedAndKeepsEachImagesSide(@TempDir Path out) throws IOException {
    CxrModel calibrated = model.calibrate(data);
    double t = calibrated.info().validation().temperature();
    assertThat(t).isPositive().isNotEqualTo(1.0);
    assertThat(calibrated.info().validation().auc()).isEqualTo(model.info().validation().auc());
    Evaluation before = model.evaluate(EvaluationRequest.of(data).validationSplitOnly(true));
    Evaluation after = calibrated.evaluate(EvaluationRequest.of(data).validationSplitOnly(true));
    assertThat(after.metrics().auc()).isCloseTo(before.metrics().auc(), within(1e-12));
    for (int i = 0; i < before.files().size(); i++) {
      assertThat(after.predictedLabel(i)).isEqualTo(before.predictedLabel(i));
    }
    // temperature scaling minimises the validation NLL, so it cannot raise it
    double[] p0 = before.scores().scores();
    boolean[] y = before.scores().positive();
    assertThat(TemperatureScaling.nll(p0, y, t))
        .isLessThanOrEqualTo(TemperatureScaling.nll(p0, y, 1) + 1e-12);
    // stored, and applied by predict after a round trip through the file
    Path file = out.resolve("calibrated.zip");
    calibrated.save(file);
    CxrModel back = CxrModel.load(file);
    assertThat(back.info().validation().temperature()).isEqualTo(t);
    Path image = before.files().get(0);
    double raw = model.predict(image).get("Effusion");
    assertThat(back.predict(image).get("Effusion"))
        .isCloseTo(TemperatureScaling.apply(raw, t), within(1e-6));
    assertThat(back.explain(image).probability())
        .isCloseTo(TemperatureScaling.apply(raw, t), within(1e-6));
  }

  @Test
  void badSettingsAreRefusedAtOnce() {
    Report.Builder b = Report.builder(model.network(), model.info());
    assertThatThrownBy(() -> b.gallerySize(51))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gallerySize must be in [0, 50] but was 51");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("data(dir)");
  }

  @Test
  void escapesEverythingHtmlCares() {
    assertThat(Html.esc("a<b>&\"c'\u0001")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;\uFFFD");
    assertThat(Html.esc(null)).isEmpty();
  }
}
