package org.intentgrid;

import java.io.Serializable;

/**
 * What one member did for crash safety: as an origin, the backup flushes of its changed main copies to the next
 * member; as a backup holder, the copies it keeps for another member and the recoveries it ran when that member was
 * lost. See {@link GridConfig#backups(int)}.
 *
 * @param flushes            backup flushes completed
 * @param keysFlushed        main copies sent to the backup holder, summed over flushes
 * @param bytesFlushed       payload bytes of backup flushes
 * @param flushFailures      flushes that failed (the holder was lost; the next flush resyncs a new holder)
 * @param flushGapMillis     the gap before the next periodic flush: the configured interval, stretched up to ten
 *                           times after a flush that took more than a twentieth of it (a crash loses at most the
 *                           member's own updates of that gap)
 * @param backupKeysHeld     copies this member holds as the backup of other members' main copies
 * @param backupBytes        native memory those copies take here (counted in the member's off-heap bytes, and
 *                           taken even beyond its cap: a backup must live somewhere)
 * @param recoveries         lost members whose main copies this member recovered as their backup holder
 * @param keysRecovered      main copies recovered here: from backups, or claimed back after handing them to a
 *                           member that was lost before its backup had them
 * @param claimsRefused      backed-up keys not recovered because they had moved on before the loss
 * @param lastRecoveryMillis how long this member's last recovery took (claims and installs), or -1 if none
 * @param lastBackupAgeMillis at this member's last recovery, how long before it heard of the loss the lost member's
 *                           last backup message had arrived, or -1 if none: the lost member's own updates of at most
 *                           that span are missing from what was recovered
 * @param updatesUnconfirmed this member's pushes and replica deltas that other members applied but had not yet
 *                           confirmed backed up (kept here, to be sent again if such a member is lost)
 * @param updatesResent      such updates sent again because their owner was lost
 * @param updatesKnownApplied such updates of a lost owner not sent again: a member knew them applied (its backup of the
 *                           owner had them, or the key they changed had moved on with them from the owner)
 * @param handedOverUnconfirmed main copies this member handed to other members (relocations) whose backups had not
 *                           yet confirmed having them (a copy of each is kept here, to be claimed back if such a
 *                           member is lost)
 */
public record BackupStats(
    long flushes, long keysFlushed, long bytesFlushed, long flushFailures, long flushGapMillis, long backupKeysHeld,
    long backupBytes, long recoveries, long keysRecovered, long claimsRefused, long lastRecoveryMillis,
    long lastBackupAgeMillis, long updatesUnconfirmed, long updatesResent, long updatesKnownApplied,
    long handedOverUnconfirmed)
    implements Serializable
{
}
