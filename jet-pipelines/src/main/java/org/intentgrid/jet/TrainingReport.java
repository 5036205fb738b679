package org.intentgrid.jet;

/**
 * One processor's progress since its previous report.
 *
 * @param processor      the global index of the processor
 * @param member         the grid member the processor runs on
 * @param timeMillis     wall-clock time of the report
 * @param itemsTotal     items trained by this processor since its (re)start
 * @param items          items trained since the previous report
 * @param meanLoss       mean loss per item since the previous report ({@code NaN} if none was trained)
 * @param localShare     share of the keys pulled and pushed since the previous report that were served locally
 *                       inside the call ({@code NaN} if none)
 * @param clock          the processor's worker clock
 * @param window         items waiting in the look-ahead window
 * @param rejectedTotal  items rejected by this processor since its (re)start
 * @param meanLagMillis  mean time from an item's event time to its training, since the previous report
 *                       ({@code NaN} without an event-time function or without items)
 * @param maxLagMillis   the largest such lag since the previous report ({@code 0} if none)
 */
public record TrainingReport(
    int processor, String member, long timeMillis, long itemsTotal, long items, double meanLoss, double localShare,
    long clock, int window, long rejectedTotal, double meanLagMillis, long maxLagMillis) implements TrainingEvent
{
}
