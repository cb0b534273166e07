package dev.cxr.core.report;

import static dev.cxr.core.report.Html.esc;
import static dev.cxr.core.report.Html.num;

import dev.cxr.core.chart.Figures;
import dev.cxr.core.evaluation.Evaluation;
import dev.cxr.core.evaluation.FindingEvaluation;
import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.metrics.PrecisionRecall;

/**
 * The sections of a multi-label model's report that hold one row or one chart per finding: the
 * table (images with the finding, prevalence, AUC with its DeLong 95% CI, average precision, the
 * stored threshold with the sensitivity and specificity there) and the grid of ROC curves.
 */
final class FindingSections {
  private FindingSections() {}

  static void table(StringBuilder h, Evaluation ev) {
    h.append("<section id=\"findings\">\n<h2>Findings</h2>\n<p>Mean AUC <b>");
    h.append(num(ev.meanAuc(), 3)).append("</b> over the findings with at least ");
    h.append(Scores.MEAN_AUC_MIN_POSITIVES).append(" positive images; each finding has its own");
    h.append(" threshold, chosen on the training run's selection data.</p>\n<table>\n");
    h.append("<tr><th>finding</th><th>images with it</th><th>prevalence</th><th>AUC (95% CI)</th>");
    h.append("<th>average precision</th><th>threshold</th><th>sensitivity</th>");
    h.append("<th>specificity</th></tr>\n");
    for (FindingEvaluation f : ev.findings()) {
      int n = f.files().size();
      h.append("<tr><td>").append(esc(f.finding())).append("</td><td class=\"n\">");
      h.append(f.positives()).append("</td><td class=\"n\">");
      h.append(num(f.positives() / (double) n, 3)).append("</td><td class=\"n\">");
      h.append(
          f.hasAuc()
              ? num(f.auc(), 3)
                  + " ("
                  + num(f.metrics().ciLower(), 3)
                  + "-"
                  + num(f.metrics().ciUpper(), 3)
                  + ")"
              : "n/a (one class)");
      double ap =
          PrecisionRecall.of(f.scores().scoresOf(0), f.scores().labelsOf(0)).averagePrecision();
      h.append("</td><td class=\"n\">").append(num(ap, 3)).append("</td><td class=\"n\">");
      h.append(num(f.threshold(), 3)).append("</td><td class=\"n\">");
      h.append(num(f.confusion().sensitivity(), 3)).append("</td><td class=\"n\">");
      h.append(num(f.confusion().specificity(), 3)).append("</td></tr>\n");
    }
    h.append("</table>\n</section>\n");
  }

  static void rocGrid(StringBuilder h, Evaluation ev) {
    h.append("<section id=\"discrimination\">\n<h2>ROC per finding</h2>\n<div class=\"charts\">");
    for (FindingEvaluation f : ev.findings()) {
      if (f.hasAuc()) {
        h.append("<div><h3>").append(esc(f.finding())).append("</h3>");
        h.append(Figures.roc(f).toSvg()).append("</div>\n");
      }
    }
    h.append("</div>\n</section>\n");
  }
}
