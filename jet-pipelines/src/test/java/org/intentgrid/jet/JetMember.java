package org.intentgrid.jet;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import org.intentgrid.GridConfig;
import org.intentgrid.ParameterGrid;
import org.intentgrid.spi.Mode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A member JVM with Jet for the crash test: the embedded launcher's configuration with Jet on. Arguments: cluster
 * name, failure-detection seconds, mode. It leaves when its standard input says "leave" or closes (so it never
 * outlives the test JVM), unless it is killed first.
 */
public final class JetMember
{
    private JetMember()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final GridConfig config = GridConfig.embedded().clusterName(args[0])
            .failureDetectionSeconds(Integer.parseInt(args[1])).mode(Mode.parse(args[2])).jet(1);
        final HazelcastInstance instance = Hazelcast.newHazelcastInstance(ParameterGrid.hazelcastConfig(config));
        System.out.println("READY " + instance.getCluster().getLocalMember().getUuid());
        System.out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("leave"))
        {
            System.out.println("ignored " + line);
        }
        instance.shutdown();
    }
}
