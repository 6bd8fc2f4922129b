package dev.dynport.check.judge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dynport.check.model.ProcessInfo;
import dev.dynport.check.model.ProcessTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceVisibilityTest {
    private static final WatchedPort POP3 = Profile.EXCHANGE_POPIMAP.ports().get(1);

    @Test
    void everySvchostWithoutServicesMeansNamesAreHidden() {
        assertTrue(ServiceVisibility.namesHidden(new ProcessTable(List.of(new ProcessInfo(4, "System", List.of()),
                new ProcessInfo(888, "svchost.exe", List.of()), new ProcessInfo(1240, "SVCHOST.EXE", List.of())))));
    }

    @Test
    void oneSvchostWithAServiceMeansNamesAreVisible() {
        // The counter-case: a readable table must keep the normal (service-name) judgement.
        assertFalse(ServiceVisibility.namesHidden(new ProcessTable(List.of(new ProcessInfo(888, "svchost.exe", List.of()),
                new ProcessInfo(1240, "svchost.exe", List.of("Dnscache"))))));
    }

    @Test
    void aTableWithoutSvchostTellsNothing() {
        assertFalse(ServiceVisibility.namesHidden(new ProcessTable(List.of(new ProcessInfo(4, "System", List.of())))));
    }

    @Test
    void onlyTheOwnersImageOrAnUnknownServiceImageMayBeTheOwner() {
        assertTrue(ServiceVisibility.couldBeOwner(POP3, 5300, new ProcessInfo(5300, "Microsoft.Exchange.Pop3Service.exe", List.of())));
        assertFalse(ServiceVisibility.couldBeOwner(POP3, 1240, new ProcessInfo(1240, "svchost.exe", List.of())));
        assertFalse(ServiceVisibility.couldBeOwner(POP3, 4, new ProcessInfo(4, "System", List.of())));
        WatchedPort user = new WatchedPort(8080, "app", List.of("MyAppService"), WatchedPort.Origin.USER);
        assertTrue(ServiceVisibility.couldBeOwner(user, 1240, new ProcessInfo(1240, "svchost.exe", List.of())),
                "a service whose image is not known here may run in any image");
        WatchedPort noOwners = new WatchedPort(8080, "app", List.of(), WatchedPort.Origin.USER);
        assertFalse(ServiceVisibility.couldBeOwner(noOwners, 1240, new ProcessInfo(1240, "svchost.exe", List.of())));
    }
}
