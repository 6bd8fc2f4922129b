package dev.dynport.check.parse;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Runs parser tests under default locales that break careless code: Turkish (dotless i in case mapping),
 * German (decimal comma), Chinese. A test receives the locale as an argument and calls {@link #use(Locale)};
 * this extension restores the JVM defaults after each test whatever happens.
 */
final class HostileLocales implements BeforeEachCallback, AfterEachCallback {
    static final List<Locale> LOCALES = List.of(
            Locale.forLanguageTag("tr-TR"), Locale.GERMANY, Locale.SIMPLIFIED_CHINESE, Locale.US);

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(HostileLocales.class);

    /** Each fixture once per hostile locale, named "[tr-TR] file". */
    static Stream<Arguments> cross(List<Fixture> fixtures) {
        return LOCALES.stream().flatMap(l -> fixtures.stream()
                .map(f -> Arguments.of(l.toLanguageTag(), f, l)));
    }

    static void use(Locale locale) {
        Locale.setDefault(locale);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("saved", new Locale[] {
                Locale.getDefault(), Locale.getDefault(Locale.Category.FORMAT), Locale.getDefault(Locale.Category.DISPLAY)});
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Locale[] saved = context.getStore(NS).remove("saved", Locale[].class);
        Locale.setDefault(saved[0]);
        Locale.setDefault(Locale.Category.FORMAT, saved[1]);
        Locale.setDefault(Locale.Category.DISPLAY, saved[2]);
    }
}
