package dev.kafkalearn.jbang;

import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

/** Camel JBang's `camel` command; CamelJBangMain has no main() of its own (JBang's launcher script supplies one). */
public final class CamelJBang {

    private CamelJBang() {
    }

    public static void main(String... args) {
        CamelJBangMain.run(args);
    }
}
