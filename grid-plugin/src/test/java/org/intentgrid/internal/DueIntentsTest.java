package org.intentgrid.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A collect pass's due intents reach the sync thread once per table, worker and key, with the latest end. */
class DueIntentsTest
{
    private final DueIntents due = new DueIntents();
    private final List<String> handed = new ArrayList<>();

    private List<String> drain()
    {
        handed.clear();
        due.drainTo((table, key, worker, end) -> handed.add(table + "/" + worker + "/" + key + " until " + end));
        handed.sort(null);
        return List.copyOf(handed);
    }

    @Test
    void repeatsOfAKeyCollapseToTheLatestEndAndTablesAndWorkersStayApart()
    {
        due.due("words", 7, 0, 11);
        due.due("words", 7, 0, 14);
        due.due("words", 7, 0, 12);
        due.due("words", 7, 1, 9);
        due.due("contexts", 7, 0, 10);
        due.due("words", 8, 0, 13);

        assertEquals(List.of("contexts/0/7 until 10", "words/0/7 until 14", "words/0/8 until 13",
            "words/1/7 until 9"), drain());
    }

    @Test
    void aDrainForgetsWhatItHanded()
    {
        due.due("words", 7, 0, 11);
        drain();
        due.due("words", 8, 2, 5);

        assertEquals(List.of("words/2/8 until 5"), drain());
        assertEquals(List.of(), drain());
    }

    @Test
    void smallPassesAfterALargeOneHandOnlyTheirOwnKeysWithTheirOwnEnds()
    {
        for (int key = 0; key < 5_000; key++)
        {
            due.due("words", key, 0, 100 + key);
        }
        assertEquals(5_000, drain().size());

        for (int pass = 0; pass < 3; pass++)
        {
            due.due("words", 42, 0, 10 + pass);
            due.due("words", 4_242, 0, 7);
            due.due("words", 42, 0, 9 + pass);
            assertEquals(List.of("words/0/42 until " + (10 + pass), "words/0/4242 until 7"), drain(), "pass " + pass);
        }
    }
}
