package dev.dynport.check.judge;

import dev.dynport.check.model.BackendSettings;
import dev.dynport.check.model.DynamicRange;
import dev.dynport.check.model.ExcludedRanges;
import dev.dynport.check.model.ProcessTable;
import dev.dynport.check.model.ServiceConfig;
import dev.dynport.check.model.ServiceStatus;
import dev.dynport.check.parse.BackendSettingsParser;
import dev.dynport.check.parse.DynamicPortParser;
import dev.dynport.check.parse.ExcludedPortRangeParser;
import dev.dynport.check.parse.OutputFormatException;
import dev.dynport.check.parse.ScQcParser;
import dev.dynport.check.parse.ScQueryExParser;
import dev.dynport.check.parse.TasklistSvcCsvParser;

/**
 * The Windows sections' parsers as {@link SnapshotParsing.Parser}s. Named classes rather than method references:
 * every check runs them on its start-up path, where each lambda call site costs a link on first use
 * (docs/startup.md).
 */
final class SectionParsers {
    private SectionParsers() {
    }

    static final SnapshotParsing.Parser<DynamicRange> DYNAMIC_PORTS = new DynamicPorts();
    static final SnapshotParsing.Parser<ExcludedRanges> EXCLUSIONS = new Exclusions();
    static final SnapshotParsing.Parser<ProcessTable> TASKLIST = new Tasklist();
    static final SnapshotParsing.Parser<BackendSettings> SETTINGS = new Settings();

    private static final class DynamicPorts implements SnapshotParsing.Parser<DynamicRange> {
        @Override
        public DynamicRange parse(String text) throws OutputFormatException {
            return DynamicPortParser.parse(text);
        }
    }

    private static final class Exclusions implements SnapshotParsing.Parser<ExcludedRanges> {
        @Override
        public ExcludedRanges parse(String text) throws OutputFormatException {
            return ExcludedPortRangeParser.parse(text);
        }
    }

    private static final class Tasklist implements SnapshotParsing.Parser<ProcessTable> {
        @Override
        public ProcessTable parse(String text) throws OutputFormatException {
            return TasklistSvcCsvParser.parse(text);
        }
    }

    private static final class Settings implements SnapshotParsing.Parser<BackendSettings> {
        @Override
        public BackendSettings parse(String text) throws OutputFormatException {
            return BackendSettingsParser.parse(text);
        }
    }

    /** {@code sc.exe qc NAME} of one service. */
    static final class ScQc implements SnapshotParsing.Parser<ServiceConfig> {
        private final String service;

        ScQc(String service) {
            this.service = service;
        }

        @Override
        public ServiceConfig parse(String text) throws OutputFormatException {
            return ScQcParser.parse(text, service);
        }
    }

    /** {@code sc.exe queryex NAME} of one service. */
    static final class ScQueryEx implements SnapshotParsing.Parser<ServiceStatus> {
        private final String service;

        ScQueryEx(String service) {
            this.service = service;
        }

        @Override
        public ServiceStatus parse(String text) throws OutputFormatException {
            return ScQueryExParser.parse(text, service);
        }
    }
}
