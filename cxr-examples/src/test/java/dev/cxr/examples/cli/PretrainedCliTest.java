package dev.cxr.examples.cli;

import static dev.cxr.examples.cli.CliTest.cxr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxr import}, {@code train --pretrained} and the DenseNet rows of {@code model-summary}, on
 * cxr-core's PyTorch fixtures (written by bench/pytorch_pretrained.py --tiny and
 * bench/make_weight_fixtures.py).
 */
class PretrainedCliTest {
  static final Path PRETRAINED = Path.of("../cxr-core/src/test/resources/pretrained");
  static final Path WEIGHTS = Path.of("../cxr-core/src/test/resources/weights");
  @TempDir static Path shared;
  static Path data;

  @BeforeAll
  static void phantoms() {
    assumeTrue(
        Files.isDirectory(PRETRAINED), "cxr-core's test fixtures are not beside this module");
    data = shared.resolve("data");
    CliTest.Result made =
        cxr("make-demo-data", "--out", data.toString(), "--n", "48", "--size", "48");
    assertThat(made.code()).as(made.err()).isZero();
  }

  @Test
  void importsATorchxrayvisionModelWithItsThresholds() {
    Path out = shared.resolve("txrv.zip");
    CliTest.Result r =
        cxr(
            "import",
            "--from",
            PRETRAINED.resolve("txrv-densenet121.pt").toString(),
            "--size",
            "64",
            "--out",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("torchxrayvision, DenseNet-121", "sha256 ", "wrote " + out);
    assertThat(r.out()).containsPattern("Effusion\\s+threshold 0\\.\\d{4}");
    assertThat(r.out()).doesNotContain("Lung_Lesion");
    CliTest.Result p =
        cxr(
            "predict",
            "--model",
            out.toString(),
            PRETRAINED.resolve("images/img00.png").toString());
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out()).contains("Effusion=", "Hernia=");
  }

  @Test
  void refusesWhatItCannotImportInOneLine() {
    CliTest.Result unnamed =
        cxr(
            "import",
            "--from",
            PRETRAINED.resolve("resnet18.safetensors").toString(),
            "--out",
            shared.resolve("r.zip").toString());
    assertThat(unnamed.code()).isEqualTo(2);
    assertThat(unnamed.err()).contains("does not name its 14 outputs").hasLineCount(1);

    CliTest.Result hostile =
        cxr(
            "import",
            "--from",
            WEIGHTS.resolve("hostile_popen.pt").toString(),
            "--out",
            shared.resolve("h.zip").toString());
    assertThat(hostile.code()).isEqualTo(2);
    assertThat(hostile.err()).contains("refused global", "hostile_popen.pt").hasLineCount(1);
    assertThat(shared.resolve("h.zip")).doesNotExist();

    CliTest.Result wrongArch =
        cxr(
            "train",
            "--data",
            data.toString(),
            "--out",
            shared.resolve("w.zip").toString(),
            "--pretrained",
            PRETRAINED.resolve("resnet18.safetensors").toString(),
            "--arch",
            "densenet121");
    assertThat(wrongArch.code()).isEqualTo(2);
    assertThat(wrongArch.err()).contains("--arch says DenseNet-121 but the file holds");
  }

  @Test
  void trainFineTunesFromATorchvisionFile() {
    Path out = shared.resolve("ft/model.zip");
    CliTest.Result r =
        cxr(
            "train",
            "--data",
            data.toString(),
            "--out",
            out.toString(),
            "--pretrained",
            PRETRAINED.resolve("resnet18.safetensors").toString(),
            "--freeze-epochs",
            "1",
            "--backbone-lr-scale",
            "0.5",
            "--epochs",
            "2",
            "--size",
            "32",
            "--batch",
            "8",
            "--augment",
            "none");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("resnet18.safetensors (torchvision, sha256 ")
        .contains("backbone frozen for 1 epoch(s), then backbone at 0.5 x the learning rate")
        .contains("ResNet-18 original, width 4");
    assertThat(out).exists();
  }

  @Test
  void modelSummaryCountsDenseNet121AsTorchvisionDoes() {
    CliTest.Result r =
        cxr("model-summary", "--arch", "densenet121", "--channels", "3", "--classes", "1000");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("DenseNet-121", "trainable parameters: 7978856");
  }
}
