package dev.cxr.core.report;

import static dev.cxr.core.report.Html.esc;
import static dev.cxr.core.report.Html.num;

import dev.cxr.core.localize.FindingLocalization;
import dev.cxr.core.localize.ImageLocalization;
import dev.cxr.core.localize.Localization;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** The report's localisation section (docs/localisation.md), beside {@link FindingSections}. */
final class LocalisationSection {
  private LocalisationSection() {}

  /**
   * The maps against radiologists' boxes, when the data has a box file (docs/localisation.md): a
   * table per finding beside random maps, and a gallery with the boxes drawn.
   */
  static void render(
      StringBuilder h, Localization localization, Function<Path, String> displayName) {
    h.append("<section id=\"localisation\">\n<h2>Localisation against radiologists' boxes</h2>");
    h.append("\n<p>On the images with boxes in <code>");
    h.append(esc(String.valueOf(localization.boxFile().getFileName())));
    h.append("</code>: the pointing game (the map's maximum inside a box; Zhang et al. 2016) with");
    h.append(
        " its Wilson 95% interval, and localisation accuracy (a box of the map's regions at or");
    h.append(" above ").append(num(localization.mapThreshold(), 2));
    h.append(" of its maximum overlapping a true box with IoBB above T; Wang et al. 2017), each");
    h.append(" beside random maps on the same boxes (in brackets).</p>\n");
    h.append("<table><tr><th>finding</th><th class=\"n\">images</th><th class=\"n\">pointing");
    h.append(" game</th><th class=\"n\">random maps</th><th class=\"n\">acc. T=0.1</th>");
    h.append("<th class=\"n\">acc. T=0.5</th><th class=\"n\">false pos. T=0.1</th></tr>\n");
    for (FindingLocalization f : localization.findings()) {
      h.append("<tr><td>").append(esc(f.finding())).append("</td><td class=\"n\">");
      h.append(f.pointing().total()).append("</td><td class=\"n\">");
      h.append(esc(f.pointing().format())).append("</td><td class=\"n\">");
      h.append(esc(f.randomPointing().format())).append("</td><td class=\"n\">");
      h.append(num(f.accuracyAt(0.1).rate(), 2)).append(" (");
      h.append(num(f.randomAccuracyAt(0.1).rate(), 2)).append(")</td><td class=\"n\">");
      h.append(num(f.accuracyAt(0.5).rate(), 2)).append(" (");
      h.append(num(f.randomAccuracyAt(0.5).rate(), 2)).append(")</td><td class=\"n\">");
      h.append(num(f.falsePositives().get(0), 2)).append(" (");
      h.append(num(f.randomFalsePositives().get(0), 2)).append(")</td></tr>\n");
    }
    h.append("</table>\n");
    for (String n : localization.notMeasured()) {
      h.append("<p class=\"none\">Not measured: ").append(esc(n)).append("</p>\n");
    }
    for (FindingLocalization f : localization.findings()) {
      List<ImageLocalization> shown = f.examples(Report.DEFAULT_GALLERY);
      h.append("<h3>").append(esc(f.finding())).append(": maps and boxes (");
      h.append(shown.size()).append(" of ").append(f.images().size()).append(")</h3>\n");
      h.append("<div class=\"gallery\">\n");
      for (ImageLocalization m : shown) {
        String name = displayName.apply(m.explanation().image());
        ReportPage.figure(
            h,
            m.explanation().renderOverlay(Report.THUMBNAIL, m.outlines()),
            "Grad-CAM and boxes of " + name,
            name,
            m.pointingHit() ? "points inside a box" : "points outside the boxes");
      }
      h.append("</div>\n");
    }
    h.append("</section>\n");
  }
}
