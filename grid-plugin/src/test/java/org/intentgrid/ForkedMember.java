package org.intentgrid;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A plain Hazelcast member for forked-JVM tests. It references no intentgrid class: the grid service runs
 * only because the plugin jar is on the classpath. Arguments: cluster name, base port, then any number of
 * {@code name=value} config properties (the way a drop-in member is configured). It leaves gracefully when its
 * standard input says
 * "leave" or closes (so it never outlives the test JVM that started it).
 */
public final class ForkedMember
{
    private ForkedMember()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Config config = new Config();
        config.setClusterName(args[0]);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.tcp.join.port.try.count", "64");
        config.getNetworkConfig().setPort(Integer.parseInt(args[1])).setPortAutoIncrement(true).setPortCount(500);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        final JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
        for (int i = 2; i < args.length; i++)
        {
            final int equals = args[i].indexOf('=');
            config.setProperty(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        final HazelcastInstance instance = Hazelcast.newHazelcastInstance(config);
        System.out.println("READY " + instance.getCluster().getLocalMember().getUuid());
        System.out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("leave"))
        {
            System.out.println("ignored " + line);
        }
        instance.shutdown();
        System.out.println("LEFT");
        System.out.flush();
    }
}
