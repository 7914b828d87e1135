package io.aistream.testing;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds cycles between the packages of a module's main classes, so a module's test suite can fail the
 * build when one package comes to depend back on another that depends on it.
 *
 * <p>The main classes are read from the class path, directories and jars alike (test classes are left out); a dependency is any
 * reference in a class file (field and method types, calls, annotations, constants), not imports. Each
 * cycle is reported with one class-level example per edge, so the message says where to cut.
 *
 * <p>Usage, in a module's tests: {@code PackageCycles.assertNone("io.aistream.server")}. Stateless and
 * thread-safe.
 */
public final class PackageCycles {
    private PackageCycles() {}

    /**
     * Fails with an {@link AssertionError} listing every package cycle among the main classes in
     * {@code rootPackage} and its sub-packages.
     *
     * @param rootPackage the package tree to check, e.g. {@code io.aistream.provider}
     * @param ignoredPackages package prefixes left out of the graph (e.g. a module checked elsewhere)
     */
    public static void assertNone(String rootPackage, String... ignoredPackages) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        List<String> ignored = List.of(ignoredPackages);
        if (classes.stream().noneMatch(c -> inScope(c.getPackageName(), rootPackage, ignored))) {
            throw new AssertionError("no main classes found in " + rootPackage + " on the class path");
        }
        List<String> cycles = find(classes, rootPackage, ignored);
        if (!cycles.isEmpty()) {
            throw new AssertionError(
                    cycles.size() + " package cycle(s) under " + rootPackage + ":\n" + String.join("\n", cycles));
        }
    }

    /** The package cycles in {@code classes}, one description each; empty when there are none. */
    static List<String> find(JavaClasses classes, String rootPackage, List<String> ignored) {
        Map<String, Map<String, String>> edges = new TreeMap<>(); // from package → (to package → example)
        for (JavaClass source : classes) {
            String from = source.getPackageName();
            if (!inScope(from, rootPackage, ignored)) {
                continue;
            }
            for (Dependency d : source.getDirectDependenciesFromSelf()) {
                String to = d.getTargetClass().getPackageName();
                if (!to.equals(from) && inScope(to, rootPackage, ignored)) {
                    edges.computeIfAbsent(from, k -> new TreeMap<>())
                            .putIfAbsent(
                                    to,
                                    source.getSimpleName() + " → "
                                            + d.getTargetClass().getSimpleName());
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (Set<String> component : stronglyConnected(edges)) {
            StringBuilder text = new StringBuilder("  cycle among " + component + ":");
            for (String from : component) {
                for (Map.Entry<String, String> e :
                        edges.getOrDefault(from, Map.of()).entrySet()) {
                    if (component.contains(e.getKey())) {
                        text.append("\n    ")
                                .append(from)
                                .append(" → ")
                                .append(e.getKey())
                                .append(" (e.g. ")
                                .append(e.getValue())
                                .append(')');
                    }
                }
            }
            out.add(text.toString());
        }
        return out;
    }

    private static boolean inScope(String pkg, String root, List<String> ignored) {
        if (!(pkg.equals(root) || pkg.startsWith(root + "."))) {
            return false;
        }
        for (String prefix : ignored) {
            if (pkg.equals(prefix) || pkg.startsWith(prefix + ".")) {
                return false;
            }
        }
        return true;
    }

    /** Tarjan's algorithm, iterative over the (small) package graph; components of two or more packages. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> result = new ArrayList<>();
        int[] counter = {0};
        for (String start : edges.keySet()) {
            if (!index.containsKey(start)) {
                visit(start, edges, index, low, stack, onStack, result, counter);
            }
        }
        return result;
    }

    private static void visit(
            String v,
            Map<String, Map<String, String>> edges,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            Set<String> onStack,
            List<Set<String>> result,
            int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]);
        counter[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                visit(w, edges, index, low, stack, onStack, result, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                result.add(component);
            }
        }
    }
}
