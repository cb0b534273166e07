/**
 * Starting from pretrained weights: what a PyTorch or safetensors file holds ({@link TorchLayout}),
 * its parameters copied into cxr's DL4J networks by name ({@link WeightMapping}), a file turned
 * into a cxr model ({@link dev.cxr.core.ModelImport}) and the backbone of a fine-tuning run ({@link
 * PretrainedWeights}). The files are read by {@link dev.cxr.core.weights.WeightFiles}, which never
 * runs code from them.
 */
package dev.cxr.core.pretrained;
