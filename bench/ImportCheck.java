import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import dev.cxr.core.CxrModel;
import dev.cxr.core.config.Pretrained;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java half of bench/pretrained-check.sh (run in source-file mode on cxr.jar's classpath): for
 * every model that `cxr import` made from bench/pytorch_pretrained.py's files, the largest
 * |logit difference| against PyTorch on the same [0, 1] input, and the largest |probability
 * difference| of `predict` on the PNGs themselves (cxr's own decoding and min-max).
 *
 * <p>Usage: java -cp cxr.jar bench/ImportCheck.java WEIGHTS_DIR MODELS_DIR
 */
public final class ImportCheck {
  public static void main(String[] args) throws Exception {
    Path weights = Path.of(args[0]);
    Path models = Path.of(args[1]);
    JsonNode expected = new ObjectMapper().readTree(weights.resolve("expected.json").toFile());
    int n = expected.get("images").asInt();
    int size = expected.get("size").asInt();
    ByteBuffer raw =
        ByteBuffer.wrap(Files.readAllBytes(weights.resolve("inputs.f32")))
            .order(ByteOrder.LITTLE_ENDIAN);
    float[] in = new float[n * size * size];
    raw.asFloatBuffer().get(in);
    INDArray input = Nd4j.create(in, new long[] {n, 1, size, size}, 'c');
    List<Path> images = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      images.add(weights.resolve("images").resolve(String.format(Locale.ROOT, "img%02d.png", i)));
    }
    double worst = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("files").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode logits = e.getValue().get("logits");
      List<String> outputs = new ArrayList<>();
      e.getValue().get("findings").forEach(f -> outputs.add(f.asText().replace(' ', '_')));
      for (Iterator<Map.Entry<String, JsonNode>> f = e.getValue().get("files").fields();
          f.hasNext(); ) {
        Map.Entry<String, JsonNode> file = f.next();
        Path model = models.resolve(file.getValue().asText() + ".zip");
        CxrModel m = CxrModel.load(model);
        ComputationGraph net = m.network();
        INDArray pool = net.feedForward(input, false).get("pool");
        INDArray out =
            pool.mmul(net.getLayer("output").getParam("W")).addRowVector(
                net.getLayer("output").getParam("b"));
        List<String> kept = m.info().config().task().findings();
        double maxLogit = 0;
        double maxProb = 0;
        double largest = 0;
        List<Map<String, Double>> probs = m.predict(images);
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < kept.size(); j++) {
            int col = outputs.indexOf(kept.get(j));
            double ref = logits.get(i).get(col).asDouble();
            maxLogit = Math.max(maxLogit, Math.abs(out.getDouble(i, j) - ref));
            largest = Math.max(largest, Math.abs(ref));
            double p = probs.get(i).get(kept.get(j));
            maxProb = Math.max(maxProb, Math.abs(p - 1 / (1 + Math.exp(-ref))));
          }
        }
        worst = Math.max(worst, maxLogit);
        System.out.printf(
            Locale.ROOT,
            "%-12s %-12s outputs %2d: max |logit difference| %.2e (largest |logit| %.1f),"
                + " predict max |probability difference| %.2e%n",
            e.getKey(),
            file.getKey(),
            kept.size(),
            maxLogit,
            largest,
            maxProb);
      }
    }
    System.out.printf(Locale.ROOT, "largest |logit difference| over all files: %.2e%n", worst);
    System.exit(worst <= 1e-4 ? 0 : 1);
  }
}
