/**
 * Metrics for binary classifiers: exact ROC AUC (Mann-Whitney, ties counted one half) with its
 * DeLong et al. (1988) standard error and 95% confidence interval, the ROC curve, the Youden
 * operating point and confusion matrices at a threshold. Entry point: {@link
 * dev.cxr.core.metrics.BinaryMetrics#of(double[], boolean[])}.
 */
package dev.cxr.core.metrics;
