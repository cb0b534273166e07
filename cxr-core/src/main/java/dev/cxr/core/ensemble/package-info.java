/**
 * Ensembles of fold models: {@link dev.cxr.core.ensemble.FoldEnsemble} joins the networks of a
 * cross-validation into one DL4J network that outputs the mean of their probabilities, so the
 * ensemble is saved, loaded, scored and evaluated exactly as a single model.
 */
package dev.cxr.core.ensemble;
