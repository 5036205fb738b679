package org.intentgrid.samples.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run saw when one of its member JVMs was killed with SIGKILL ({@code --kill-member}): when, and what the
 * survivors did about it.
 *
 * @param member          the member JVM killed
 * @param epoch           the epoch it died in
 * @param secondsIntoEpoch when, after the epoch's start
 * @param epochRepeated   whether the survivors trained the epoch again from its start: their workers had stopped
 *                        at a barrier between sub-epochs that the killed member's workers could no longer reach
 * @param recoveries      recoveries the survivors ran (the killed member's backup holder runs one)
 * @param keysRecovered   main copies recovered from backups
 * @param recoveryMillis  how long the recovery took, from the holder's start to its last install
 * @param updatesResent   pushes and replica deltas the killed member had answered but not confirmed backed up,
 *                        sent again by the survivors (each lands once)
 * @param lossWindowMillis how long before the survivors heard of the kill the killed member's last backup had reached
 *                        its holder (-1 if it had none): its own workers' updates of at most that span were lost
 */
public record CrashReport(
    int member, int epoch, double secondsIntoEpoch, boolean epochRepeated, long recoveries, long keysRecovered,
    long recoveryMillis, long updatesResent, long lossWindowMillis)
{
    /** @return the report as JSON fields */
    Map<String, Object> toJson()
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("member", member);
        json.put("epoch", epoch);
        json.put("seconds_into_epoch", secondsIntoEpoch);
        json.put("epoch_repeated", epochRepeated);
        json.put("recoveries", recoveries);
        json.put("keys_recovered", keysRecovered);
        json.put("recovery_millis", recoveryMillis);
        json.put("updates_resent", updatesResent);
        json.put("loss_window_millis", lossWindowMillis);
        return json;
    }
}
