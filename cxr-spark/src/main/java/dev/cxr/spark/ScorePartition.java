package dev.cxr.spark;

import dev.cxr.core.CxrModel;
import dev.cxr.core.evaluation.ModelInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Scores one partition: reads each row's image, prepares it as {@link CxrModel#predict} would, and
 * scores the readable ones in batches. A row whose image cannot be read gets its error text and
 * null probabilities instead of failing the job. Rows are streamed a batch at a time, so a
 * partition of any size needs memory for one batch only.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<byte[]> modelBytes;
  private final String modelKey;
  private final OutputColumns columns;
  private final Labelling labelling;
  private final int batchSize;

  ScorePartition(
      Broadcast<byte[]> modelBytes,
      String modelKey,
      OutputColumns columns,
      Labelling labelling,
      int batchSize) {
    this.modelBytes = modelBytes;
    this.modelKey = modelKey;
    this.columns = columns;
    this.labelling = labelling;
    this.batchSize = batchSize;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    CxrModel model = ExecutorModels.borrow(modelKey, modelBytes::value);
    Runnable release =
        new Runnable() {
          private boolean done;

          @Override
          public synchronized void run() {
            if (!done) {
              done = true;
              ExecutorModels.giveBack(modelKey, model);
            }
          }
        };
    TaskContext task = TaskContext.get();
    if (task != null) {
      // also when the task is cancelled before its iterator is drained
      task.addTaskCompletionListener((TaskCompletionListener) ctx -> release.run());
    }
    return new Batches(rows, model, release);
  }

  private final class Batches implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final CxrModel model;
    private final Runnable release;
    private final Configuration hadoop = new Configuration();
    private List<Row> ready = List.of();
    private int next;

    Batches(Iterator<Row> rows, CxrModel model, Runnable release) {
      this.rows = rows;
      this.model = model;
      this.release = release;
    }

    @Override
    public boolean hasNext() {
      if (next < ready.size()) {
        return true;
      }
      if (!rows.hasNext()) {
        release.run();
        return false;
      }
      ready = scoreNextBatch();
      next = 0;
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.get(next++);
    }

    private List<Row> scoreNextBatch() {
      List<Row> in = new ArrayList<>(batchSize);
      List<ModelInput> inputs = new ArrayList<>(batchSize);
      List<Integer> inputRow = new ArrayList<>(batchSize);
      String[] errors = new String[batchSize];
      while (in.size() < batchSize && rows.hasNext()) {
        Row r = rows.next();
        int i = in.size();
        in.add(r);
        try {
          inputs.add(prepare(r, i));
          inputRow.add(i);
        } catch (RuntimeException e) {
          errors[i] = e.getMessage() != null ? e.getMessage() : e.toString();
        }
      }
      List<Map<String, Double>> probs = model.predictInputs(inputs);
      List<Map<String, Double>> byRow = new ArrayList<>(in.size());
      for (int i = 0; i < in.size(); i++) {
        byRow.add(null);
      }
      for (int k = 0; k < inputs.size(); k++) {
        byRow.set(inputRow.get(k), probs.get(k));
      }
      List<Row> out = new ArrayList<>(in.size());
      for (int i = 0; i < in.size(); i++) {
        out.add(outputRow(in.get(i), byRow.get(i), errors[i]));
      }
      return out;
    }

    private ModelInput prepare(Row r, int i) {
      String path = columns.pathIndex() >= 0 ? r.getString(columns.pathIndex()) : null;
      String name = path != null ? path : "row " + i + " of its batch";
      if (columns.contentIndex() >= 0) {
        byte[] data = r.isNullAt(columns.contentIndex()) ? null : r.getAs(columns.contentIndex());
        if (data == null) {
          throw new IllegalArgumentException(name + ": no image bytes (content is null)");
        }
        return model.prepare(name, data);
      }
      if (path == null) {
        throw new IllegalArgumentException("no image path (path is null)");
      }
      return model.prepare(name, read(path));
    }

    private byte[] read(String path) {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      try {
        FileSystem fs = p.getFileSystem(hadoop);
        long length = fs.getFileStatus(p).getLen();
        if (length > Integer.MAX_VALUE - 8) {
          throw new IllegalArgumentException(
              path + ": file too large to be an image (" + length + " bytes)");
        }
        try (FSDataInputStream in = fs.open(p)) {
          return in.readAllBytes();
        }
      } catch (java.io.FileNotFoundException e) {
        throw new IllegalArgumentException(path + ": image file is missing", e);
      } catch (IOException e) {
        throw new UncheckedIOException(path + ": cannot read image file: " + e, e);
      }
    }

    private Row outputRow(Row in, Map<String, Double> probs, String error) {
      int w = columns.inputWidth();
      Object[] v = new Object[w + columns.probabilityColumns().size() + 2];
      for (int c = 0; c < w; c++) {
        v[c] = in.get(c);
      }
      if (probs != null) {
        int c = w;
        for (double p : probs.values()) {
          v[c++] = p;
        }
        v[c] = labelling.predicted(probs);
      }
      v[v.length - 1] = error;
      return RowFactory.create(v);
    }
  }
}
