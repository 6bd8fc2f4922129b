package dev.dynport.check.judge;

import dev.dynport.check.model.Family;
import dev.dynport.check.model.State;

/** One rule's verdict on one watched port in one family; {@code text} is the human sentence, free of '|'. */
public record Finding(FindingCode code, Family family, State state, String text) {
}
