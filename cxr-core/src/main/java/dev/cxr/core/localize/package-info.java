/**
 * Measuring where a saliency map points, against radiologists' bounding boxes: the model-free
 * pieces of {@code cxr localize}.
 *
 * <ul>
 *   <li>{@link dev.cxr.core.localize.BoundingBoxes} reads NIH's {@code BBox_List_2017.csv} (boxes
 *       in the pixel frame of the 1024x1024 PNGs NIH distributes) into {@link
 *       dev.cxr.core.localize.TrueBox} rows and scales them to the image as read;
 *   <li>{@link dev.cxr.core.localize.Box} is an axis-aligned rectangle with the overlap measures
 *       (intersection, IoU, and Wang et al.'s IoBB: intersection over the detected box's area);
 *   <li>{@link dev.cxr.core.localize.MapBoxes} turns a map into detected boxes (normalise by the
 *       maximum, threshold, 8-connected components, their bounding boxes) and finds its peak;
 *   <li>{@link dev.cxr.core.localize.LocalizationMetrics} scores them: the pointing game (Zhang et
 *       al. 2016), localisation at T(IoBB) and false positives (Wang et al. 2017), and proportions
 *       with Wilson score intervals;
 *   <li>{@link dev.cxr.core.localize.RandomMaps} gives seeded random maps, the chance level to
 *       which a model's maps are compared.
 * </ul>
 *
 * <p>References: Wang X, Peng Y, Lu L, Lu Z, Bagheri M, Summers RM. ChestX-ray8: Hospital-scale
 * Chest X-ray Database and Benchmarks on Weakly-Supervised Classification and Localization of
 * Common Thorax Diseases. IEEE CVPR 2017, pp. 3462-3471. Zhang J, Lin Z, Brandt J, Shen X, Sclaroff
 * S. Top-down Neural Attention by Excitation Backprop. ECCV 2016. Wilson EB. Probable inference,
 * the law of succession, and statistical inference. JASA 1927;22:209-212.
 */
package dev.cxr.core.localize;
