/**
 * Explaining a prediction: Grad-CAM heat maps (Selvaraju et al. 2017) for every cxr ResNet, the
 * {@link dev.cxr.core.explain.HeatMap} they produce, and their rendering as an overlay on the
 * radiograph in a perceptually uniform colour map.
 */
package dev.cxr.core.explain;
