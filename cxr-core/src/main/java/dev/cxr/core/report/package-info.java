/**
 * The HTML report of a model on a data set ({@code cxr report}): one self-contained file with
 * provenance, metrics, curves as inline SVG and Grad-CAM galleries as inline PNG.
 */
package dev.cxr.core.report;
