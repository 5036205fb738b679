package org.intentgrid;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No public or protected member of a public type in {@code org.intentgrid} mentions a type of the internal or the
 * Hazelcast adapter package: user code can reach the mechanism only through the validating API.
 */
class PublicApiSealTest
{
    private static final List<String> SEALED = List.of("org.intentgrid.internal.", "org.intentgrid.hazelcast.");

    private static List<Class<?>> publicApiTypes() throws IOException, URISyntaxException, ClassNotFoundException
    {
        final Path classes = Paths.get(ParameterGrid.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("org/intentgrid");
        final List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(classes))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final String name = file.getFileName().toString();
                if (name.endsWith(".class") && !name.equals("package-info.class"))
                {
                    final Class<?> type = Class.forName("org.intentgrid." + name.substring(0, name.length() - 6));
                    if (isVisible(type))
                    {
                        types.add(type);
                    }
                }
            }
        }
        return types;
    }

    private static boolean isVisible(final Class<?> type)
    {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass())
        {
            if (!Modifier.isPublic(t.getModifiers()) && !Modifier.isProtected(t.getModifiers()))
            {
                return false;
            }
        }
        return !type.isAnonymousClass() && !type.isLocalClass() && !type.isSynthetic();
    }

    private static boolean isVisible(final Member member)
    {
        return (Modifier.isPublic(member.getModifiers()) || Modifier.isProtected(member.getModifiers())) &&
            !member.isSynthetic();
    }

    private static void check(final Type type, final String where, final List<String> leaks)
    {
        if (type instanceof Class<?> c)
        {
            final Class<?> element = c.isArray() ? c.componentType() : c;
            for (final String prefix : SEALED)
            {
                if (element.getName().startsWith(prefix))
                {
                    leaks.add(where + " mentions " + element.getName());
                }
            }
        }
        else if (type instanceof ParameterizedType p)
        {
            check(p.getRawType(), where, leaks);
            for (final Type argument : p.getActualTypeArguments())
            {
                check(argument, where, leaks);
            }
        }
        else if (type instanceof WildcardType w)
        {
            for (final Type bound : w.getUpperBounds())
            {
                check(bound, where, leaks);
            }
            for (final Type bound : w.getLowerBounds())
            {
                check(bound, where, leaks);
            }
        }
    }

    private static void checkExecutable(final Executable executable, final String where, final List<String> leaks)
    {
        for (final Type parameter : executable.getGenericParameterTypes())
        {
            check(parameter, where, leaks);
        }
        for (final Type thrown : executable.getGenericExceptionTypes())
        {
            check(thrown, where, leaks);
        }
    }

    @Test
    void noPublicSignatureMentionsAnInternalOrAdapterType() throws Exception
    {
        final List<Class<?>> types = publicApiTypes();
        assertTrue(types.size() > 10, "found the public API types: " + types);
        final List<String> leaks = new ArrayList<>();
        for (final Class<?> type : types)
        {
            check(type.getGenericSuperclass(), type.getName() + " extends", leaks);
            for (final Type implemented : type.getGenericInterfaces())
            {
                check(implemented, type.getName() + " implements", leaks);
            }
            for (final Constructor<?> constructor : type.getDeclaredConstructors())
            {
                if (isVisible(constructor))
                {
                    checkExecutable(constructor, type.getName() + " constructor", leaks);
                }
            }
            for (final Method method : type.getDeclaredMethods())
            {
                if (isVisible(method))
                {
                    final String where = type.getName() + "." + method.getName();
                    check(method.getGenericReturnType(), where, leaks);
                    checkExecutable(method, where, leaks);
                }
            }
            for (final Field field : type.getDeclaredFields())
            {
                if (isVisible(field))
                {
                    check(field.getGenericType(), type.getName() + "." + field.getName(), leaks);
                }
            }
        }
        assertTrue(leaks.isEmpty(), "internal types leak through the public API:\n" + String.join("\n", leaks));
    }
}
