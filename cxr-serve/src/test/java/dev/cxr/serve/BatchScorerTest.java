package dev.cxr.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.evaluation.ModelInput;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The model thread: shared forward passes, a bounded queue, and a stop that drains it. */
class BatchScorerTest {
  static TinyModel tiny;
  static List<ModelInput> inputs = new ArrayList<>();

  @BeforeAll
  static void prepare() throws Exception {
    tiny = TinyModel.get();
    for (int i = 0; i < 24; i++) {
      var png = tiny.pngs().get(i % tiny.pngs().size());
      inputs.add(tiny.model().prepare(png.getFileName().toString(), Files.readAllBytes(png)));
    }
  }

  @Test
  void predictionsWaitingTogetherShareAForwardPassAndScoreAsAlone() throws Exception {
    List<Integer> batches = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Map<String, Double>>> results = new ArrayList<>();
    BatchScorer scorer = new BatchScorer(tiny.model(), 64, 8, batches::add);
    try {
      for (ModelInput in : inputs) {
        results.add(scorer.predict(in)); // far faster than a forward pass: they pile up
      }
      for (int i = 0; i < inputs.size(); i++) {
        Map<String, Double> alone = tiny.model().predictInputs(List.of(inputs.get(i))).get(0);
        assertThat(results.get(i).get(30, TimeUnit.SECONDS).get("Effusion"))
            .isCloseTo(alone.get("Effusion"), within(1e-5));
      }
    } finally {
      scorer.close();
    }
    assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(24);
    assertThat(batches).allMatch(n -> n >= 1 && n <= 8);
    assertThat(batches.size()).as("forward passes for 24 images: %s", batches).isLessThan(24);
  }

  @Test
  void aFullQueueRefusesAtOnceAndWhatWasQueuedIsStillScored() throws Exception {
    BatchScorer scorer = new BatchScorer(tiny.model(), 2, 1, n -> {});
    List<CompletableFuture<Map<String, Double>>> accepted = new ArrayList<>();
    int refused = 0;
    try {
      for (int i = 0; i < 200; i++) {
        try {
          accepted.add(scorer.predict(inputs.get(i % inputs.size())));
        } catch (ApiError e) {
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.getMessage()).contains("images are waiting for the model (--queue)");
          refused++;
        }
      }
    } finally {
      scorer.close(); // scores what is queued before it returns
    }
    assertThat(refused).isPositive();
    assertThat(accepted).isNotEmpty().allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
  }
}
