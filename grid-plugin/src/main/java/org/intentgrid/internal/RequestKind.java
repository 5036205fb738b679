package org.intentgrid.internal;

/** What a {@link DataRequest} asks for, with the byte code that stands for it on the wire. */
public enum RequestKind
{
    /** Read the main copy's value. */
    PULL(0, "pull"),
    /** Add to the main copy's value. */
    PUSH(1, "push"),
    /** Overwrite the main copy's value. */
    SET(2, "set"),
    /** Move the main copy to the caller: the answer carries value and relocation counter. */
    LOCALIZE(3, "localize"),
    /** Take over main copies (value and counter given) from a member that leaves. */
    ADOPT(4, "adopt"),
    /** Tell the home that the request's subject now owns the keys, with the given relocation counters. */
    NOTICE(5, "notice"),
    /** Create the main copies of keys whose home the answering member is, unless they exist; nothing to return. */
    MATERIALIZE(6, "materialize"),
    /** Forget the table on the answering member: its copies, its directory entries, its memory; no keys. */
    DROP(7, "drop"),
    /** Keep these main copies (values, counters, versions) of the caller as its backup, replacing older ones. */
    BACKUP(8, "backup"),
    /** Forget the caller's backups of these keys: their main copies left it. */
    BACKUP_REMOVE(9, "backup-remove"),
    /** Forget every backup of the caller for the table, then keep the given ones (a new holder's first flush). */
    BACKUP_RESET(10, "backup-reset"),
    /**
     * At the home: make the caller the owner of keys whose backups (with the given counters) it holds for the
     * request's subject, a lost member, where the directory records that member or an older ownership; the answer
     * carries the counters granted.
     */
    CLAIM(11, "claim"),
    /** The request's subject is gone and its main copies were recovered: entries still naming it are void. */
    RECOVERED(12, "recovered"),
    /** Which of these keys does the answering member hold the main copy of? Served: yes, with its counter. */
    MAIN_COPIES(13, "main-copies"),
    /**
     * The request's subject handed all its main copies off and leaves: the updates it answered are in the values it
     * handed over, so nothing it had not confirmed backed up needs sending again.
     */
    LEFT(14, "left"),
    /**
     * The caller's backup holder has these keys (with the given counters), whose main copies the answering member
     * handed the caller: the answering member forgets the copies it kept of them ({@link HandedOver}).
     */
    HANDED_OVER(15, "handed-over"),
    /**
     * The request's subject is lost and its backups were claimed: the answering member claims back the keys it handed
     * the subject whose backup the subject never confirmed, and answers once that is done.
     */
    RECLAIM(16, "reclaim"),
    /**
     * The caller's full resync to the answering member, its new backup holder, is complete: the backups held here are
     * all of the caller's main copies (as of its flushes) from now on, until its next resync begins.
     */
    BACKUP_COMPLETE(17, "backup-complete"),
    /**
     * The request's subject is lost and the caller, its backup holder by the member list, holds no complete backup of
     * it (a resync to it was under way): a member that holds a complete one (the previous holder) recovers the subject
     * and answers with one status, the others with none.
     */
    RECOVER(18, "recover"),
    /**
     * The request's subject is lost: which of these fingerprints (in {@code keys}) of updates it answered does the
     * answering member know applied, itself or in a backup it holds or held? Served: known ({@link KnownUpdates}).
     */
    APPLIED(19, "applied");

    private static final RequestKind[] BY_CODE = values();

    private final byte code;
    private final String label;

    RequestKind(final int code, final String label)
    {
        this.code = (byte)code;
        this.label = label;
    }

    /** @return the byte that stands for this kind on the wire */
    public byte code()
    {
        return code;
    }

    /** @return a short name, for messages */
    public String label()
    {
        return label;
    }

    /**
     * @return the kind a wire byte stands for
     * @throws IllegalArgumentException for a byte that stands for no kind
     */
    public static RequestKind fromCode(final byte code)
    {
        if (code < 0 || code >= BY_CODE.length)
        {
            throw new IllegalArgumentException("unknown request kind code " + code + "; expected 0.." +
                (BY_CODE.length - 1));
        }
        return BY_CODE[code];
    }
}
