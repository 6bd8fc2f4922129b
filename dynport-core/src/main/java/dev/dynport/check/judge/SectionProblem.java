package dev.dynport.check.judge;

import dev.dynport.check.acquire.Section;

/** A required section that was missing or could not be parsed; always makes the result UNKNOWN. */
public record SectionProblem(Section section, String message) {
}
