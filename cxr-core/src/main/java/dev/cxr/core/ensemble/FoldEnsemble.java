package dev.cxr.core.ensemble;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.evaluation.OperatingPoint;
import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.provenance.EnsembleInfo;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.provenance.ModelInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.ShiftVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An ensemble of the fold models of one cross-validation, as one DL4J network: the members' graphs
 * side by side on one input, each member's own pixel standardisation (if any) as a shift and scale
 * in front of it, and an averaging vertex over their softmax outputs. Averaging probabilities (not
 * logits) keeps each member's calibration and is the usual way to pool k-fold models. Because it is
 * one {@link ComputationGraph} with a {@link ModelInfo}, it is saved, loaded ({@code
 * CxrModel.load}), scored, evaluated and predicted with exactly as a single model; the members'
 * summaries go to an {@link EnsembleInfo} section of the file. Explanations too: {@link
 * dev.cxr.core.explain.GradCam} explains an ensemble as the mean of its members' maps, each on its
 * own branch, so {@code explain} and {@code report} take an ensemble as {@code predict} does.
 */
public final class FoldEnsemble {
  private static final String INPUT = "input";
  private static final String AVERAGE = "ensemble_mean";

  private final ComputationGraph network;
  private final ModelInfo info;
  private final EnsembleInfo ensemble;

  private FoldEnsemble(ComputationGraph network, ModelInfo info, EnsembleInfo ensemble) {
    this.network = network;
    this.info = info;
    this.ensemble = ensemble;
  }

  /**
   * Joins fold models.
   *
   * @param members each fold's kept network and metadata, all of one configuration but the seed and
   *     split
   * @param outOfFold the pooled out-of-fold scores (every finding), which also choose the operating
   *     threshold
   * @param dataFingerprint fingerprint of all the data the folds were drawn from
   * @return the ensemble
   * @throws IllegalArgumentException for fewer than 2 members or members of different tasks or
   *     image sizes
   */
  public static FoldEnsemble of(
      List<ModelFile.Contents> members, Scores outOfFold, String dataFingerprint) {
    Objects.requireNonNull(members, "members");
    Objects.requireNonNull(outOfFold, "outOfFold");
    if (members.size() < 2 || members.size() > EnsembleInfo.MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "an ensemble needs 2 to " + EnsembleInfo.MAX_MEMBERS + " members, not " + members.size());
    }
    ModelInfo first = members.get(0).info();
    for (ModelFile.Contents m : members) {
      if (m.info().imageSize() != first.imageSize()
          || !m.info().labelNames().equals(first.labelNames())) {
        throw new IllegalArgumentException(
            "ensemble members must share image size and labels: "
                + first.imageSize()
                + " px "
                + first.labelNames()
                + " vs "
                + m.info().imageSize()
                + " px "
                + m.info().labelNames());
      }
    }
    ComputationGraph net = join(members);
    PipelineConfig config = first.config();
    int pooled = outOfFold.files().size();
    ModelInfo info =
        new ModelInfo(
            ModelInfo.FORMAT,
            ModelInfo.currentLibraryVersion(),
            ModelInfo.DL4J_VERSION,
            config,
            first.labelNames(),
            Normalisation.MIN_MAX, // each member standardises itself inside the graph
            dataFingerprint,
            pooled, // the folds together trained on every image
            pooled,
            0,
            0,
            // thresholds chosen on the out-of-fold scores, each image scored by a model that did
            // not train on it
            OperatingPoint.summary(first.task(), outOfFold, outOfFold),
            List.of());
    List<Double> aucs = new ArrayList<>();
    List<Integer> epochs = new ArrayList<>();
    List<Integer> images = new ArrayList<>();
    List<String> prints = new ArrayList<>();
    for (ModelFile.Contents m : members) {
      aucs.add(m.info().validation().auc());
      epochs.add(m.info().bestEpoch());
      images.add(m.info().trainImages());
      prints.add(m.info().dataFingerprint());
    }
    EnsembleInfo e =
        new EnsembleInfo(
            EnsembleInfo.FORMAT,
            EnsembleInfo.MEAN_PROBABILITY,
            aucs,
            epochs,
            images,
            prints,
            outOfFold.meanAuc(),
            pooled);
    return new FoldEnsemble(net, info, e);
  }

  /**
   * @return the joined network (its output is the mean of the members' probabilities)
   */
  public ComputationGraph network() {
    return network;
  }

  /**
   * @return the ensemble's metadata (its validation is the out-of-fold validation)
   */
  public ModelInfo info() {
    return info;
  }

  /**
   * @return what was combined
   */
  public EnsembleInfo ensemble() {
    return ensemble;
  }

  /**
   * Writes the ensemble as one model file, atomically.
   *
   * @param file target file
   * @throws IOException when writing fails
   */
  public void save(Path file) throws IOException {
    ModelFile.write(file, network, info, ensemble);
  }

  /**
   * The members' graphs side by side, each behind its standardisation and named with the prefix
   * {@code m<i>_} ({@code m1_output}, ...), averaged by the vertex {@value #AVERAGE}: the shape
   * {@link dev.cxr.core.explain.GradCam} explains member by member. Any number of members (the
   * tests join one).
   */
  static ComputationGraph join(List<ModelFile.Contents> members) {
    GraphBuilder gb = new NeuralNetConfiguration.Builder().graphBuilder().addInputs(INPUT);
    List<String> outputs = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      String p = "m" + (i + 1) + "_";
      ComputationGraphConfiguration conf = members.get(i).network().getConfiguration();
      if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
        throw new IllegalArgumentException("ensemble members must have one input and one output");
      }
      String in = INPUT;
      Normalisation norm = members.get(i).info().normalisation();
      if (norm.standardise()) {
        // (x - mean) / std, as Normalisation.applyInPlace does before a single model
        gb.addVertex(p + "shift", new ShiftVertex(-norm.mean()), INPUT);
        gb.addVertex(p + "scale", new ScaleVertex(1 / norm.std()), p + "shift");
        in = p + "scale";
      }
      String memberInput = conf.getNetworkInputs().get(0);
      for (Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
        List<String> inputs = conf.getVertexInputs().get(v.getKey());
        String[] mapped = new String[inputs.size()];
        for (int k = 0; k < mapped.length; k++) {
          mapped[k] = inputs.get(k).equals(memberInput) ? in : p + inputs.get(k);
        }
        GraphVertex copy = v.getValue().clone();
        if (copy instanceof LayerVertex lv) {
          // DL4J finds a layer's inputs by its layer name, which addVertex does not rename
          lv.getLayerConf().getLayer().setLayerName(p + v.getKey());
        }
        gb.addVertex(p + v.getKey(), copy, mapped);
      }
      outputs.add(p + conf.getNetworkOutputs().get(0));
    }
    gb.addVertex(
        AVERAGE,
        new ElementWiseVertex(ElementWiseVertex.Op.Average),
        outputs.toArray(String[]::new));
    gb.setOutputs(AVERAGE);
    ComputationGraphConfiguration conf = gb.build();
    conf.setDataType(members.get(0).network().getConfiguration().getDataType());
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    for (int i = 0; i < members.size(); i++) {
      String p = "m" + (i + 1) + "_";
      for (Layer l : members.get(i).network().getLayers()) {
        Layer target = net.getLayer(p + l.conf().getLayer().getLayerName());
        for (Map.Entry<String, INDArray> e : l.paramTable().entrySet()) {
          target.getParam(e.getKey()).assign(e.getValue());
        }
      }
    }
    return net;
  }
}
