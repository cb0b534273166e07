/**
 * cxr's charts, described once and drawn one way: {@link dev.cxr.core.chart.Chart} (axes, lines,
 * bands, points, bars, rules and a legend) written as self-contained SVG, and {@link
 * dev.cxr.core.chart.Figures}, the figures themselves (ROC, precision-recall, reliability, training
 * curves, learning-rate finder). The HTML report inlines the SVG; the command line rasterises the
 * same SVG to PNG, so the two show the same picture.
 */
package dev.cxr.core.chart;
