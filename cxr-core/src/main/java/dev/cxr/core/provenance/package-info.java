/**
 * Provenance: what made a saved model ({@link dev.cxr.core.provenance.ModelInfo}, bound to JSON by
 * Jackson and versioned), the model file that carries it, and the fingerprint of the training data.
 */
package dev.cxr.core.provenance;
