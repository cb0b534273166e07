package dev.cxr.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.cxr.core.CxrModel;
import dev.cxr.phantoms.DemoData;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The page in a real browser: Debian's headless Chromium driven by its chromedriver through
 * Selenium. Chooses an image, waits for the bars and the Grad-CAM overlay, and fails on a console
 * error, a script error, a Content-Security-Policy violation (anything from elsewhere, any inline
 * code) or a page wider than the window at 1280 and 820 px. Keeps screenshots in {@code
 * target/serve-page/} (or {@code -Dcxr.serve.screenshots=DIR}). The tiny test model's 32 px input
 * gives a one-cell Grad-CAM; {@code -Dcxr.serve.model=FILE} serves another model instead (the check
 * script trains one at 128 px, so that its screenshot shows a map with structure).
 *
 * <p>Without chromedriver the test is skipped with a message, unless {@code
 * -Dcxr.serve.browser=required} (as {@code bench/check-serve-page.sh}, which installs Debian's
 * {@code chromium-driver} when it is missing, and CI run it): then it fails.
 */
class ServePageTest {
  /** Records errors and CSP violations before the page's own script runs. */
  private static final String RECORDER =
      "window.__cxrProblems = [];"
          + "window.addEventListener('error', function (e) {"
          + "  window.__cxrProblems.push('error: ' + (e.message || (e.target && (e.target.src ||"
          + " e.target.href)) || e.type)); }, true);"
          + "window.addEventListener('unhandledrejection', function (e) {"
          + "  window.__cxrProblems.push('unhandled rejection: ' + e.reason); });"
          + "document.addEventListener('securitypolicyviolation', function (e) {"
          + "  window.__cxrProblems.push('CSP violation: ' + e.violatedDirective + ' '"
          + " + e.blockedURI); });"
          + "var ce = console.error; console.error = function () {"
          + "  window.__cxrProblems.push('console.error: ' + Array.from(arguments).join(' '));"
          + "  ce.apply(console, arguments); };";

  @Test
  void chooseAnImageSeeTheBarsTheOverlayAndTheModelCard(@TempDir Path dir) throws Exception {
    Optional<Path> chromedriver = executable("chromedriver");
    Optional<Path> chromium = executable("chromium").or(() -> executable("chromium-browser"));
    if (chromedriver.isEmpty() || chromium.isEmpty()) {
      String why =
          "chromium or chromedriver is missing (Debian packages chromium, chromium-driver);"
              + " bench/check-serve-page.sh installs them and runs this test";
      if ("required".equals(System.getProperty("cxr.serve.browser"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    Path shots = Path.of(System.getProperty("cxr.serve.screenshots", "target/serve-page"));
    Files.createDirectories(shots);
    // a phantom at 256 px, so that the picture shows a chest and not a thumbnail
    DemoData.builder().images(4).seed(11).size(256).build().writeTo(dir.resolve("data"));
    Path image;
    try (Stream<Path> s = Files.walk(dir.resolve("data"))) {
      image = s.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
    }
    String other = System.getProperty("cxr.serve.model", "");
    Path modelFile = other.isEmpty() ? TinyModel.get().file() : Path.of(other);
    double expected = CxrModel.load(modelFile).predict(image).get("Effusion");

    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.get().toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=1280,1000",
        "--user-data-dir=" + dir.resolve("profile"));
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.get().toFile())
            .usingAnyFreePort()
            .build();
    try (CxrServer server = CxrServer.start(ServeConfig.of(modelFile).port(0), line -> {})) {
      ChromeDriver driver = new ChromeDriver(service, options);
      try {
        driver.executeCdpCommand(
            "Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
        driver.get(server.uri().toString());
        until(driver, d -> !d.findElements(By.cssSelector("#model-card dt")).isEmpty());
        assertThat(driver.findElement(By.id("model-line")).getText())
            .startsWith(modelFile.getFileName().toString());

        driver.findElement(By.id("file")).sendKeys(image.toAbsolutePath().toString());
        until(driver, d -> d.findElements(By.cssSelector("#bars li")).size() == 1);
        WebElement bar = driver.findElement(By.cssSelector("#bars li[data-finding='Effusion']"));
        assertThat(bar.findElement(By.className("value")).getText())
            .isEqualTo(String.format(Locale.ROOT, "%.3f", expected));
        assertThat(bar.findElements(By.className("threshold"))).hasSize(1);
        until(
            driver,
            d ->
                (Boolean)
                    ((JavascriptExecutor) d)
                        .executeScript(
                            "var i = document.getElementById('overlay');"
                                + " return !i.hidden && i.complete && i.naturalWidth > 0;"));
        assertThat(driver.findElement(By.id("status")).getText()).endsWith("scored.");

        for (int width : new int[] {1280, 820}) {
          driver.manage().window().setSize(new Dimension(width, 1000));
          Long scroll =
              (Long)
                  driver.executeScript(
                      "return document.documentElement.scrollWidth - window.innerWidth;");
          assertThat(scroll).as("page wider than a %d px window", width).isLessThanOrEqualTo(0);
          // the whole page, to look at
          Long height =
              (Long) driver.executeScript("return document.documentElement.scrollHeight;");
          driver.manage().window().setSize(new Dimension(width, (int) Math.max(600, height + 120)));
          File shot = driver.getScreenshotAs(OutputType.FILE);
          Files.copy(
              shot.toPath(),
              shots.resolve("page-" + width + ".png"),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        @SuppressWarnings("unchecked")
        List<String> problems = (List<String>) driver.executeScript("return window.__cxrProblems;");
        assertThat(problems).as("script errors and CSP violations").isEmpty();
        List<String> severe =
            driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                .map(LogEntry::toString)
                .toList();
        assertThat(severe).as("browser console").isEmpty();
      } finally {
        driver.quit();
      }
    }
  }

  /** Waits up to a minute for a condition on the page. */
  private static void until(ChromeDriver driver, java.util.function.Predicate<ChromeDriver> ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!ok.test(driver)) {
      if (System.nanoTime() > deadline) {
        fail(
            "the page did not get there within 60 s; status: "
                + driver.findElement(By.id("status")).getText());
      }
      Thread.sleep(50);
    }
  }

  /** An executable on the PATH (or in /usr/bin). */
  static Optional<Path> executable(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
    for (String d : path.split(File.pathSeparator)) {
      Path p = Path.of(d.isEmpty() ? "." : d, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
