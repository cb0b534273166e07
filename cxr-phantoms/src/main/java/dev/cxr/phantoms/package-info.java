/**
 * Embedded demo data: a seeded generator of synthetic chest-radiograph phantoms written in the
 * layout of the NIH ChestX-ray14 dataset (Wang et al., CVPR 2017), so that the library and the
 * {@code cxr} command line can be tried without downloading real images.
 *
 * <p>Entry point: {@link dev.cxr.phantoms.DemoData}. Each phantom is a posteroanterior view with
 * thorax, lungs, mediastinum, heart, spine, clavicles, ribs, pulmonary vessels and noise; positives
 * carry a pleural effusion (fluid filling a costophrenic angle under a meniscus) of random size and
 * side. A multi-finding mode ({@link dev.cxr.phantoms.DemoDataBuilder#findings(String...)}) draws
 * Atelectasis, Cardiomegaly, Effusion, Nodule and Pneumothorax independently per image for
 * multi-label training, with a mask of where each finding lies. Phantoms are not medical images and
 * carry no clinical meaning.
 */
package dev.cxr.phantoms;
