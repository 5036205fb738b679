package org.intentgrid.samples.w2v;

import org.intentgrid.samples.train.InputFormatException;
import org.intentgrid.samples.train.Inputs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Sentences as word ids, with the vocabulary: words seen at least {@code minCount} times, numbered by decreasing
 * frequency. Rarer words are dropped from the sentences. For generated text, {@link #group} gives each word's
 * planted group of interchangeable words.
 */
final class Corpus
{
    final String[] words;
    final long[] counts;
    final int[][] sentences;
    final int[] group;
    final long tokens;

    private Corpus(final String[] words, final long[] counts, final int[][] sentences, final int[] group)
    {
        this.words = words;
        this.counts = counts;
        this.sentences = sentences;
        this.group = group;
        this.tokens = Arrays.stream(counts).sum();
    }

    int vocabulary()
    {
        return words.length;
    }

    /**
     * Reads every {@code *.txt} file of {@code dir}: whitespace-separated words, one sentence per line (long lines
     * are cut into sentences of {@code maxSentence} words).
     *
     * @throws InputFormatException if there are no text files, a file is empty, or no word reaches {@code minCount}
     */
    static Corpus read(final Path dir, final int minCount, final int maxSentence)
    {
        final List<Path> files;
        try (Stream<Path> list = Files.list(dir))
        {
            files = list.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (files.isEmpty())
        {
            throw new InputFormatException(dir, 0, "no *.txt file with the training text");
        }
        final List<String[]> raw = new ArrayList<>();
        final Map<String, long[]> frequency = new HashMap<>();
        for (final Path file : files)
        {
            boolean any = false;
            try (BufferedReader reader = Inputs.open(file))
            {
                String line;
                while ((line = reader.readLine()) != null)
                {
                    final String[] tokens = line.strip().split("\\s+");
                    if (tokens.length == 0 || tokens[0].isEmpty())
                    {
                        continue;
                    }
                    any = true;
                    for (int from = 0; from < tokens.length; from += maxSentence)
                    {
                        raw.add(Arrays.copyOfRange(tokens, from, Math.min(tokens.length, from + maxSentence)));
                    }
                    for (final String token : tokens)
                    {
                        frequency.computeIfAbsent(token, t -> new long[1])[0]++;
                    }
                }
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            if (!any)
            {
                throw new InputFormatException(file, 0, "the file holds no words");
            }
        }
        final String[] vocabulary = frequency.entrySet().stream().filter(e -> e.getValue()[0] >= minCount)
            .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]) != 0 ?
                Long.compare(b.getValue()[0], a.getValue()[0]) : a.getKey().compareTo(b.getKey()))
            .map(Map.Entry::getKey).toArray(String[]::new);
        if (vocabulary.length < 2)
        {
            throw new InputFormatException(dir, 0, "fewer than 2 words occur at least " + minCount + " times " +
                "(--min-count); expected a larger text");
        }
        final Map<String, Integer> ids = new HashMap<>();
        final long[] counts = new long[vocabulary.length];
        for (int i = 0; i < vocabulary.length; i++)
        {
            ids.put(vocabulary[i], i);
            counts[i] = frequency.get(vocabulary[i])[0];
        }
        final List<int[]> sentences = new ArrayList<>();
        for (final String[] tokens : raw)
        {
            final int[] sentence = Arrays.stream(tokens).map(ids::get).filter(id -> id != null)
                .mapToInt(Integer::intValue).toArray();
            if (sentence.length > 1)
            {
                sentences.add(sentence);
            }
        }
        return new Corpus(vocabulary, counts, sentences.toArray(new int[0][]), null);
    }

    /**
     * Generates text from a model with planted groups of interchangeable words: a sentence walks a fixed random
     * chain over groups (each group has a few successor groups) and writes a random word of each group it visits.
     * Words of one group share all their contexts, so their vectors should end up each other's nearest neighbours.
     */
    static Corpus planted(
        final int groups, final int wordsPerGroup, final int sentences, final int sentenceLength, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int successors = 3;
        final int[][] next = new int[groups][successors];
        for (int g = 0; g < groups; g++)
        {
            for (int s = 0; s < successors; s++)
            {
                next[g][s] = random.nextInt(groups);
            }
        }
        final int vocabulary = groups * wordsPerGroup;
        final String[] words = new String[vocabulary];
        final int[] group = new int[vocabulary];
        for (int w = 0; w < vocabulary; w++)
        {
            words[w] = "g" + (w / wordsPerGroup) + "w" + (w % wordsPerGroup);
            group[w] = w / wordsPerGroup;
        }
        final long[] counts = new long[vocabulary];
        final int[][] text = new int[sentences][sentenceLength];
        for (int s = 0; s < sentences; s++)
        {
            int g = random.nextInt(groups);
            for (int i = 0; i < sentenceLength; i++)
            {
                final int word = g * wordsPerGroup + random.nextInt(wordsPerGroup);
                text[s][i] = word;
                counts[word]++;
                g = next[g][random.nextInt(successors)];
            }
        }
        return new Corpus(words, counts, text, group);
    }
}
