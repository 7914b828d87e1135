package io.aistream.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.aistream.testing.cycles.a.First;
import io.aistream.testing.cycles.b.Second;
import io.aistream.testing.cycles.c.Third;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageCyclesTest {
    private static final String ROOT = "io.aistream.testing.cycles";

    @Test
    void aCycleIsReportedWithAnExampleForEachEdge() {
        var classes = new ClassFileImporter().importClasses(First.class, Second.class, Third.class);

        List<String> cycles = PackageCycles.find(classes, ROOT, List.of());

        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0))
                .contains("[" + ROOT + ".a, " + ROOT + ".b]")
                .contains(ROOT + ".a → " + ROOT + ".b (e.g. First → Second)")
                .contains(ROOT + ".b → " + ROOT + ".a (e.g. Second → First)")
                .doesNotContain(ROOT + ".c");
    }

    @Test
    void anIgnoredPackageBreaksTheCycle() {
        var classes = new ClassFileImporter().importClasses(First.class, Second.class, Third.class);

        assertThat(PackageCycles.find(classes, ROOT, List.of(ROOT + ".b"))).isEmpty();
    }

    @Test
    void aTreeWithoutMainClassesIsAnErrorNotAPass() {
        // the fixtures above are test classes, which the check leaves out: nothing to check is a mistake
        assertThatThrownBy(() -> PackageCycles.assertNone(ROOT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no main classes found in " + ROOT);
    }
}
